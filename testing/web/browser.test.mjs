// Browser test of the reference page (web/): Debian's chromium, driven by playwright-core,
// against the real functions (target/debug, local mode), the BIG-register stand-in and the
// IRMA-server stand-in of this folder, on 127.0.0.1 only. The test plays the Yivi app's part.
// Run: make test-web (needs `cargo build --workspace --bins` and `make web` first).
// Screenshots of every end state: target/web-test/*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { start as startIrma } from './irma-standin.mjs';
import { serve } from '../../web/serve.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'target', 'debug');
const OUT = join(ROOT, 'target', 'web-test');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TEXTS = loadTexts();

// Demo persons (testing/devtools/src/demo.rs) as the app discloses them from iDIN.
const PERSONS = {
  denHollander: { initials: 'A.M.', familyname: 'den Hollander', dateofbirth: '20-02-1970', gender: 'female' },
  visser: { initials: 'PJ', familyname: 'Visser', dateofbirth: '01-07-1965', gender: 'male' },
  janssen: { initials: 'K.', familyname: 'Janssen', dateofbirth: '03-03-1975', gender: 'male' },
  bakker: { initials: 'R.', familyname: 'Bakker', dateofbirth: '01-01-1950', gender: 'male' },
  smit: { initials: 'U.', familyname: 'Smit', dateofbirth: '09-09-1999', gender: 'female' },
  nergens: { initials: 'N.', familyname: 'Nergens', dateofbirth: '01-01-1990', gender: 'female' },
};
// Every error code of DESIGN.md section 7.
const CODES = [
  'invalid-request', 'invalid-disclosure', 'disclosure-expired', 'unusable-identity',
  'no-registration', 'ambiguous-registration', 'registration-ended', 'big-unavailable',
  'big-unverifiable', 'not-found', 'method-not-allowed', 'payload-too-large', 'internal',
];

function loadTexts() {
  const window = {};
  new Function('window', readFileSync(join(ROOT, 'web', 'src', 'i18n.js'), 'utf8'))(window);
  return window.BIG_TEXTS;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const procs = [];
function spawnBin(name, args, env, logFile) {
  const child = spawn(join(BIN, name), args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(child);
  const log = [];
  child.stdout.on('data', (d) => log.push(d));
  child.stderr.on('data', (d) => log.push(d));
  child.on('exit', () => writeFileSync(join(OUT, logFile), Buffer.concat(log)));
  return child;
}

async function healthy(url) {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} did not become healthy (logs in target/web-test/)`);
}

let stack;
let browser;
const servers = [];
let keys; // closed in after(), even when before() failed half-way

before(async () => {
  for (const name of ['issuance-request', 'disclosure-callback', 'big-register-standin']) {
    assert.ok(existsSync(join(BIN, name)), `missing ${BIN}/${name}: run cargo build --workspace --bins`);
  }
  assert.ok(existsSync(join(ROOT, 'web', 'dist', 'index.html')), 'missing web/dist: run make web');
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  keys = mkdtempSync(join(tmpdir(), 'big-issuer-web-keys-'));
  const pair = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const irmaKey = pair();
  const requestorKey = pair();
  writeFileSync(join(keys, 'irma-server.pub.pem'), irmaKey.publicKey);
  writeFileSync(join(keys, 'requestor.pem'), requestorKey.privateKey, { mode: 0o600 });

  const irma = await startIrma({ privateKey: irmaKey.privateKey, requestorPublicKey: requestorKey.publicKey });
  servers.push(irma.server);

  // The register stand-in picks its own port and says which. A second one answers SOAP faults.
  const startRegister = (args, logFile) => {
    const register = spawnBin('big-register-standin', ['--port', '0', ...args], {}, logFile);
    return new Promise((resolve, reject) => {
      let seen = '';
      register.stdout.on('data', (d) => {
        seen += d;
        const m = seen.match(/listening on (127\.0\.0\.1:\d+)/);
        if (m) resolve(`http://${m[1]}`);
      });
      register.on('exit', () => reject(new Error('register stand-in exited')));
    });
  };
  const registerUrl = await startRegister([], 'register.log');
  const faultRegisterUrl = await startRegister(['--behaviour', 'fault'], 'register-fault.log');

  // Two issuance-request instances: with a callback URL (flow A) and without (flow B).
  const [chainedPort, twoStepPort, callbackPort] = [await freePort(), await freePort(), await freePort()];
  const [downPort, downCallbackPort] = [await freePort(), await freePort()];
  const downUrl = `http://127.0.0.1:${downPort}`;
  const downCallbackUrl = `http://127.0.0.1:${downCallbackPort}`;
  const chainedUrl = `http://127.0.0.1:${chainedPort}`;
  const twoStepUrl = `http://127.0.0.1:${twoStepPort}`;
  const callbackUrl = `http://127.0.0.1:${callbackPort}`;
  const chainedPage = await serve({ port: 0, issuanceRequestUrl: chainedUrl });
  const twoStepPage = await serve({ port: 0, issuanceRequestUrl: twoStepUrl });
  const downPage = await serve({ port: 0, issuanceRequestUrl: downUrl });
  servers.push(chainedPage, twoStepPage, downPage);
  const pageUrl = (s) => `http://127.0.0.1:${s.address().port}`;
  const origins = [pageUrl(chainedPage), pageUrl(twoStepPage), pageUrl(downPage)].join(',');

  const common = {
    IRMA_SERVER_URL: irma.url,
    IRMA_SERVER_PUBLIC_KEY_FILE: join(keys, 'irma-server.pub.pem'),
    BIG_REGISTER_URL: registerUrl,
  };
  spawnBin('disclosure-callback', [], { ...common, PORT: String(callbackPort) }, 'disclosure-callback.log');
  const issuer = { ...common, SIGNING_KEY_FILE: join(keys, 'requestor.pem'), ALLOWED_ORIGINS: origins };
  spawnBin('issuance-request', [], { ...issuer, PORT: String(chainedPort), DISCLOSURE_CALLBACK_URL: `${callbackUrl}/` }, 'issuance-request-chained.log');
  spawnBin('issuance-request', [], { ...issuer, PORT: String(twoStepPort) }, 'issuance-request-two-step.log');
  // Flow A against a register that answers faults: both functions refuse with big-unavailable.
  const down = { ...common, BIG_REGISTER_URL: faultRegisterUrl };
  spawnBin('disclosure-callback', [], { ...down, PORT: String(downCallbackPort) }, 'disclosure-callback-down.log');
  spawnBin('issuance-request', [], { ...issuer, ...down, PORT: String(downPort), DISCLOSURE_CALLBACK_URL: `${downCallbackUrl}/` }, 'issuance-request-down.log');
  await Promise.all([chainedUrl, twoStepUrl, callbackUrl, downUrl, downCallbackUrl].map(healthy));

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  stack = { irma, chained: pageUrl(chainedPage), twoStep: pageUrl(twoStepPage), down: pageUrl(downPage) };
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close();
  for (const p of procs) p.kill('SIGTERM');
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  if (keys) rmSync(keys, { recursive: true, force: true });
}, { timeout: 30000 });

// A phone-sized page in `lang`, started, with the QR code of the first session shown.
async function startPage(base, lang, { userAgent, waitFor = '#yivi-web-form .yivi-web-qr-canvas' } = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, userAgent });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/?lang=${lang}`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  assert.equal(await page.textContent('#intro'), TEXTS[lang].intro);
  await page.click('#start');
  await page.waitForSelector(waitFor, { state: 'visible' });
  return { context, page, problems };
}

async function endState(page, outcome) {
  await page.waitForSelector(`body[data-outcome="${outcome}"]`, { timeout: 15000 });
}

// What every end state must satisfy: no personal data or raw codes, focus on the state's
// heading, nothing wider than the phone screen.
async function checkEndState(page, person, name, problems) {
  const text = await page.innerText('body');
  for (const value of [person.familyname, person.dateofbirth, person.initials]) {
    assert.ok(!text.includes(value), `${name}: the page shows personal data`);
  }
  for (const code of CODES) assert.ok(!text.includes(code), `${name}: the page shows a raw code`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name}: wider than the screen`);
  assert.deepEqual(problems, [], `${name}: script errors`);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

test('every error code of DESIGN.md section 7 has a sentence in both languages', () => {
  for (const lang of ['nl', 'en']) {
    for (const code of [...CODES, 'network', 'unknown']) {
      const sentence = TEXTS[lang].errors[code];
      assert.ok(typeof sentence === 'string' && sentence.length > 40, `${lang}: ${code}`);
    }
    assert.equal(Object.keys(TEXTS[lang].errors).length, CODES.length + 2, `${lang}: extra codes`);
  }
  assert.deepEqual(Object.keys(TEXTS.nl).sort(), Object.keys(TEXTS.en).sort());
});

for (const [lang, key] of [['nl', 'denHollander'], ['en', 'visser']]) {
  test(`flow A: chained issuance in one scan (${lang})`, async () => {
    const person = PERSONS[key];
    const { context, page, problems } = await startPage(stack.chained, lang);
    assert.equal(await page.getAttribute('body', 'data-flow'), 'chained');
    assert.equal(await page.textContent('#session-text'), TEXTS[lang].scanChained);
    const app = await stack.irma.disclose(person);
    assert.equal(app.callback, 200, 'the callback starts the issuance');
    assert.ok(app.credentials.length >= 1);
    await endState(page, 'issued');
    assert.equal(await page.textContent('#done-text'), TEXTS[lang].done);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'done-title');
    await checkEndState(page, person, `chained-issued-${lang}`, problems);
    await context.close();
  });
}

test('on a phone the page offers the Yivi app button and finishes flow A (nl)', async () => {
  const person = PERSONS.visser;
  const { context, page, problems } = await startPage(stack.chained, 'nl', {
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0 Mobile Safari/537.36',
    waitFor: '#yivi-web-form .yivi-web-button-link[href^="intent://"]',
  });
  await page.screenshot({ path: join(OUT, 'phone-app-button-nl.png'), fullPage: true });
  const app = await stack.irma.disclose(person);
  assert.equal(app.callback, 200);
  await endState(page, 'issued');
  await checkEndState(page, person, 'phone-chained-issued-nl', problems);
  await context.close();
});

const REFUSALS = [
  ['chained', 'nl', 'nergens', 'no-registration'],
  ['chained', 'en', 'janssen', 'ambiguous-registration'],
  ['chained', 'nl', 'bakker', 'registration-ended'],
  ['chained', 'en', 'nergens', 'no-registration'],
  ['two-step', 'en', 'smit', 'registration-ended'],
  ['two-step', 'nl', 'janssen', 'ambiguous-registration'],
  ['down', 'nl', 'denHollander', 'big-unavailable'],
];
for (const [flow, lang, key, code] of REFUSALS) {
  test(`${flow === 'two-step' ? 'flow B' : 'flow A'}: refusal ${code} shown with its sentence (${lang})`, async () => {
    const person = PERSONS[key];
    const { context, page, problems } = await startPage({ chained: stack.chained, 'two-step': stack.twoStep, down: stack.down }[flow], lang);
    const app = await stack.irma.disclose(person);
    if (flow !== 'two-step') {
      assert.equal(app.callback, 204, 'the callback hands the refusal back');
      assert.equal(app.outcome, code);
    } else {
      assert.equal(app.callback, null);
    }
    await endState(page, code);
    assert.equal(await page.textContent('#refused-text'), TEXTS[lang].errors[code]);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'refused-title');
    await checkEndState(page, person, `${flow}-${code}-${lang}`, problems);
    // The language switch re-renders the sentence.
    const other = lang === 'nl' ? 'en' : 'nl';
    await page.click('#lang');
    assert.equal(await page.getAttribute('html', 'lang'), other);
    assert.equal(await page.textContent('#refused-text'), TEXTS[other].errors[code]);
    await context.close();
  });
}

for (const [lang, key, expected] of [
  ['en', 'visser', [['Arts', '29021814501', 'Interne geneeskunde, Maag-darm-leverziekten'], ['Verpleegkundige', '79021814530', null]]],
  ['nl', 'denHollander', [['Arts', '19021814501', 'Huisartsgeneeskunde']]],
]) {
  test(`flow B: two-step issuance with the preview (${lang})`, async () => {
    const person = PERSONS[key];
    const { context, page, problems } = await startPage(stack.twoStep, lang);
    assert.equal(await page.getAttribute('body', 'data-flow'), 'two-step');
    assert.equal(await page.textContent('#session-text'), TEXTS[lang].scanStep1);
    const app = await stack.irma.disclose(person);
    assert.equal(app.callback, null, 'no chained session in flow B');
    // The preview, before the second scan, next to its QR code.
    await page.waitForSelector('#preview:not([hidden]) .credentials li');
    await page.waitForSelector('#yivi-web-form .yivi-web-qr-canvas', { state: 'visible' });
    assert.equal(await page.textContent('#session-text'), TEXTS[lang].scanStep2);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'preview-title');
    const items = await page.$$eval('.credentials li', (lis) =>
      lis.map((li) => [...li.querySelectorAll('dd')].map((dd) => dd.textContent)),
    );
    assert.equal(items.length, expected.length);
    expected.forEach(([profession, bigNumber, specialisms], i) => {
      assert.equal(items[i][0], profession);
      assert.equal(items[i][1], bigNumber);
      if (specialisms) assert.equal(items[i][2], specialisms);
    });
    await page.screenshot({ path: join(OUT, `two-step-preview-${lang}.png`), fullPage: true });
    // The README's picture: `make web-screenshot` (UPDATE_SCREENSHOT=1) refreshes docs/screenshot.png.
    if (lang === 'nl' && process.env.UPDATE_SCREENSHOT === '1') {
      await page.screenshot({ path: join(ROOT, 'docs', 'screenshot.png'), fullPage: true });
    }
    const issued = await stack.irma.issue();
    assert.ok(issued.disclose, 'the issuance asks for the same identity again');
    assert.deepEqual(
      issued.credentials.map((c) => c.attributes.bignumber),
      expected.map((e) => e[1]),
    );
    await endState(page, 'issued');
    assert.equal(await page.textContent('#done-text'), TEXTS[lang].done);
    // The preview was the person's own registration; the end state shows none of it.
    const text = await page.innerText('body');
    for (const [, bigNumber] of expected) assert.ok(!text.includes(bigNumber));
    await checkEndState(page, person, `two-step-issued-${lang}`, problems);
    await context.close();
  });
}

test('an unreachable issuance-request function is a sentence, not a raw error (en)', async () => {
  const page404 = await serve({ port: 0, issuanceRequestUrl: `http://127.0.0.1:${await freePort()}` });
  servers.push(page404);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${page404.address().port}/?lang=en`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#start');
  await endState(page, 'network');
  assert.equal(await page.textContent('#refused-text'), TEXTS.en.errors.network);
  await page.screenshot({ path: join(OUT, 'unreachable-en.png'), fullPage: true });
  await context.close();
});
