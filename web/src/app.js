// The page's logic: flow A (chained, one scan) when the disclosure request carries
// sprequest.nextSession, else flow B (two scans, with a preview), per DESIGN.md section 3.
// Configuration: config.json next to this file, {"issuanceRequestUrl": "https://..."}; the IRMA
// server URL comes from the issuance-request function's answers.
(function () {
  'use strict';
  const TEXTS = window.BIG_TEXTS;
  const $ = (id) => document.getElementById(id);
  let lang = initialLanguage();
  let config = null;
  let current = null; // the running yivi-frontend instance
  let run = 0; // bumps on every start, so a stale flow never touches the page

  function initialLanguage() {
    const asked = new URLSearchParams(location.search).get('lang');
    if (asked === 'nl' || asked === 'en') return asked;
    try {
      const kept = localStorage.getItem('big-issuer-lang');
      if (kept === 'nl' || kept === 'en') return kept;
    } catch (_) {
      /* storage may be off */
    }
    return (navigator.language || 'nl').toLowerCase().startsWith('nl') ? 'nl' : 'en';
  }

  function t(key) {
    return TEXTS[lang][key];
  }

  function errorText(code) {
    const errors = TEXTS[lang].errors;
    return Object.prototype.hasOwnProperty.call(errors, code) ? errors[code] : errors.unknown;
  }

  // Re-render every text in the current language (the yivi widget keeps the language it started with).
  function render() {
    document.documentElement.lang = lang;
    document.title = t('title');
    document.querySelectorAll('[data-t]').forEach((el) => {
      el.textContent = t(el.dataset.t);
    });
    const other = lang === 'nl' ? 'en' : 'nl';
    const button = $('lang');
    button.textContent = t('language');
    button.setAttribute('aria-label', t('languageLabel'));
    button.lang = other;
    const sessionText = $('session-text');
    if (sessionText.dataset.t2) sessionText.textContent = t(sessionText.dataset.t2);
    const refused = $('refused-text');
    if (refused.dataset.error) refused.textContent = errorText(refused.dataset.error);
    renderCredentials();
  }

  let shownCredentials = [];
  function renderCredentials() {
    const list = $('credentials');
    list.replaceChildren();
    for (const credential of shownCredentials) {
      const a = credential.attributes || {};
      const specialisms = (a.specialism || '')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);
      const item = document.createElement('li');
      const dl = document.createElement('dl');
      for (const [label, value] of [
        [t('profession'), a.profession || ''],
        [t('bigNumber'), a.bignumber || ''],
        [t('specialisms'), specialisms.length ? specialisms.join(', ') : t('noSpecialisms')],
      ]) {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.textContent = value;
        dl.append(dt, dd);
      }
      item.append(dl);
      list.append(item);
    }
  }

  function announce(text) {
    $('status').textContent = text;
  }

  // Show one state; move the focus to it so screen readers and keyboards follow.
  function show(state, focusId) {
    for (const id of ['state-start', 'state-session', 'state-done', 'state-refused']) {
      $(id).hidden = id !== state;
    }
    document.body.dataset.state = state.replace('state-', '');
    if (focusId) $(focusId).focus();
  }

  function sessionText(key) {
    const el = $('session-text');
    el.dataset.t2 = key;
    el.textContent = t(key);
    announce(t(key));
  }

  function refuse(code, myRun) {
    if (myRun !== run) return;
    stopYivi();
    const el = $('refused-text');
    el.dataset.error = code;
    el.textContent = errorText(code);
    document.body.dataset.outcome = code;
    show('state-refused', 'refused-title');
    announce(t('refusedTitle') + '. ' + errorText(code));
  }

  function done(myRun) {
    if (myRun !== run) return;
    stopYivi();
    document.body.dataset.outcome = 'issued';
    show('state-done', 'done-title');
    announce(t('doneTitle') + '. ' + t('done'));
  }

  function stopYivi() {
    if (current) {
      try {
        current.abort();
      } catch (_) {
        /* already ended */
      }
      current = null;
    }
    $('yivi-slot').replaceChildren();
  }

  // A fresh element per session: yivi-web renders into it.
  function yiviSession(jwt, irmaServerUrl, wantResult) {
    stopYivi();
    const element = document.createElement('section');
    element.id = 'yivi-web-form';
    $('yivi-slot').append(element);
    current = window.yivi.newWeb({
      element: '#yivi-web-form',
      language: lang,
      session: {
        url: irmaServerUrl.replace(/\/+$/, ''),
        start: { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: jwt },
        result: wantResult
          ? {
              url: (o, { sessionToken }) => `${o.url}/session/${sessionToken}/result-jwt`,
              parseResponse: (r) => r.text(),
            }
          : false,
      },
    });
    return current.start();
  }

  // Display only: the functions verify every JWT themselves.
  function claimsOf(jwt) {
    const part = String(jwt).split('.')[1] || '';
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  class Refusal extends Error {
    constructor(code) {
      super(code);
      this.code = code;
    }
  }

  // Calls issuance-request; returns the JSON body, or throws a Refusal with the contract's code.
  async function callIssuer(path, init) {
    let answer;
    try {
      answer = await fetch(config.issuanceRequestUrl.replace(/\/+$/, '') + path, init);
    } catch (_) {
      throw new Refusal('network');
    }
    let body = null;
    try {
      body = await answer.json();
    } catch (_) {
      /* not JSON */
    }
    if (!answer.ok) throw new Refusal(body && typeof body.error === 'string' ? body.error : 'unknown');
    if (!body) throw new Refusal('unknown');
    return body;
  }

  async function flow(myRun) {
    show('state-session');
    $('preview').hidden = true;
    shownCredentials = [];
    renderCredentials();
    sessionText('loading');
    $('session-text').focus();

    const request = await callIssuer('/disclosure-request', { method: 'GET' });
    if (myRun !== run) return;
    let chained = false;
    try {
      const sprequest = claimsOf(request.jwt).sprequest || {};
      chained = !!(sprequest.nextSession && sprequest.nextSession.url);
    } catch (_) {
      throw new Refusal('unknown');
    }
    document.body.dataset.flow = chained ? 'chained' : 'two-step';
    sessionText(chained ? 'scanChained' : 'scanStep1');

    const resultJwt = await yiviSession(request.jwt, request.irma_server_url, true);
    if (myRun !== run) return;
    let nextSession = null;
    try {
      nextSession = claimsOf(resultJwt).nextSession;
    } catch (_) {
      /* handled by issuance-request */
    }
    if (nextSession) return done(myRun); // flow A: issued in the same app session

    // Flow B step 2, or flow A refused (the callback answered 204): the reason, or an
    // issuance after all when the cause has passed.
    stopYivi();
    sessionText('checking');
    const issuance = await callIssuer('/issuance-request', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: resultJwt,
    });
    if (myRun !== run) return;
    shownCredentials = Array.isArray(issuance.credentials) ? issuance.credentials : [];
    renderCredentials();
    $('preview').hidden = false;
    document.body.dataset.flow = 'two-step';
    sessionText('scanStep2');
    $('preview-title').setAttribute('tabindex', '-1');
    $('preview-title').focus();
    await yiviSession(issuance.jwt, issuance.irma_server_url, false);
    done(myRun);
  }

  function start() {
    run += 1;
    const myRun = run;
    delete document.body.dataset.outcome;
    $('refused-text').dataset.error = '';
    flow(myRun).catch((error) => {
      // A Refusal carries a contract code; anything else (a yivi-frontend rejection) is shown
      // as a generic failure, never as its raw message.
      refuse(error instanceof Refusal ? error.code : 'unknown', myRun);
    });
  }

  async function init() {
    render();
    $('lang').addEventListener('click', () => {
      lang = lang === 'nl' ? 'en' : 'nl';
      try {
        localStorage.setItem('big-issuer-lang', lang);
      } catch (_) {
        /* storage may be off */
      }
      render();
    });
    $('start').addEventListener('click', start);
    $('again').addEventListener('click', () => {
      stopYivi();
      show('state-start', 'start');
    });
    show('state-start');
    try {
      const answer = await fetch('config.json', { cache: 'no-store' });
      config = await answer.json();
      if (!config || typeof config.issuanceRequestUrl !== 'string') throw new Error('config');
      document.body.dataset.ready = 'true';
    } catch (_) {
      config = null;
      refuse('not-found', run);
    }
  }

  init();
})();
