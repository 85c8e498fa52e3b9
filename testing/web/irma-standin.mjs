// A small IRMA-server stand-in: the part of the irmago protocol that yivi-frontend 0.1.x and
// big-issuer use, with a control API through which the test plays the Yivi app's part.
//
// Requestor side: POST /session (requestor JWT, text/plain; RS256, verified with the requestor
// public key when one is given), GET /session/{token}/result(-jwt), GET /publickey.
// Frontend side (yivi-client): GET {u}/frontend/statusevents (404: the client falls back to
// polling), GET {u}/frontend/status -> {status, nextSession?}, DELETE {u} (cancel).
// Chained sessions: on a disclosure with sprequest.nextSession.url, POST the result JWT (status
// CONNECTED) there; 200 -> the JSON issuance request becomes the next session, 204 -> the
// session ends without one (irmago's behaviour, see shared/reference/IRMA.md section 4).
// The app's part: POST /_app/disclose {attributes} and POST /_app/issue, each on the newest
// session of that type that waits for the app.
import { createServer } from 'node:http';
import { createPublicKey, randomBytes, sign, verify } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function token() {
  return Array.from(randomBytes(20), (b) => ALNUM[b % ALNUM.length]).join('');
}
const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function signJwt(privateKey, claims) {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
}

function verifyJwt(publicKey, jwt) {
  const [h, p, s] = String(jwt).trim().split('.');
  if (!h || !p || !s) throw new Error('not a JWT');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  if (header.alg !== 'RS256') throw new Error('alg');
  if (publicKey && !verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) {
    throw new Error('signature');
  }
  return JSON.parse(Buffer.from(p, 'base64url'));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * start({ privateKey, requestorPublicKey?, port?, log? }) -> { url, close(), sessions, disclose(), issue() }
 * privateKey: the IRMA server's jwt_privkey (a KeyObject or PEM); its public half goes to the
 * functions as IRMA_SERVER_PUBLIC_KEY_FILE.
 */
export async function start({ privateKey, requestorPublicKey, port = 0, log = () => {} }) {
  const sessions = new Map(); // requestor token -> session
  const byClient = new Map(); // client token -> session
  const requestorKey = requestorPublicKey ? createPublicKey(requestorPublicKey) : null;
  let base = '';
  const events = [];

  function newSession(type, request, validity, nextSessionUrl, authorization) {
    const s = {
      token: token(),
      clientToken: token(),
      type,
      request,
      validity: validity || 120,
      nextSessionUrl,
      authorization: authorization || token(),
      status: 'INITIALIZED',
      disclosed: null,
      nextSession: null, // the next session object
      created: Date.now(),
    };
    sessions.set(s.token, s);
    byClient.set(s.clientToken, s);
    return s;
  }

  function sessionPtr(s) {
    return { u: `${base}/irma/session/${s.clientToken}`, irmaqr: s.type };
  }

  function resultClaims(s, status) {
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'irmaserver',
      sub: `${s.type}_result`,
      iat,
      exp: iat + s.validity,
      token: s.token,
      status,
      type: s.type,
      proofStatus: s.disclosed ? 'VALID' : undefined,
      disclosed: s.disclosed || undefined,
    };
    if (s.nextSession) claims.nextSession = s.nextSession.token;
    return claims;
  }

  function disclosedFor(request, attributes) {
    // The first inner conjunction whose attributes the app holds: the test's person.
    for (const discon of request.disclose || []) {
      for (const con of discon) {
        const ids = con.map((a) => (typeof a === 'string' ? a : a.type));
        const values = ids.map((id) => attributes[id.split('.').pop()]);
        if (ids.length && ids.every((id) => id.startsWith('pbdf.pbdf.idin.')) && values.every((v) => v != null)) {
          return [
            ids.map((id, i) => ({
              id,
              rawvalue: values[i],
              value: { '': values[i], en: values[i], nl: values[i] },
              status: 'PRESENT',
              issuancetime: 1766620800,
            })),
          ];
        }
      }
    }
    throw new Error('the request asks for no iDIN conjunction the app can satisfy');
  }

  function waiting(type) {
    const list = [...sessions.values()].filter((s) => s.type === type && s.status === 'INITIALIZED');
    list.sort((a, b) => b.created - a.created);
    return list[0];
  }

  // The app discloses `attributes` (iDIN names: initials, familyname, dateofbirth, gender).
  async function disclose(attributes) {
    const s = waiting('disclosing');
    if (!s) throw new Error('no disclosure session waits for the app');
    s.status = 'CONNECTED';
    s.disclosed = disclosedFor(s.request, attributes);
    const outcome = { token: s.token, callback: null, outcome: null, credentials: [] };
    if (s.nextSessionUrl) {
      const jwt = signJwt(privateKey, resultClaims(s, 'CONNECTED'));
      const answer = await fetch(s.nextSessionUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=UTF-8', 'User-Agent': 'irmago' },
        body: jwt,
      });
      outcome.callback = answer.status;
      outcome.outcome = answer.headers.get('big-issuer-outcome');
      const text = await answer.text();
      if (answer.status === 200) {
        const next = JSON.parse(text);
        const request = next.request || next;
        if (request['@context'] !== 'https://irma.app/ld/request/issuance/v2') throw new Error('next session is no issuance');
        // The app goes on in the same session: it re-discloses and accepts the credentials.
        const n = newSession('issuing', request, next.validity, null, s.authorization);
        n.status = 'DONE';
        s.nextSession = n;
        outcome.credentials = request.credentials;
      } else if (answer.status !== 204) {
        s.status = 'CANCELLED'; // irmago: NEXT_SESSION error for the app
        events.push({ kind: 'next-session-error', status: answer.status });
        return outcome;
      }
    }
    s.status = 'DONE';
    events.push({ kind: 'disclosed', token: s.token, chained: !!s.nextSession });
    return outcome;
  }

  // The app scans an issuance session, discloses what it asks again, and accepts.
  async function issue() {
    const s = waiting('issuing');
    if (!s) throw new Error('no issuance session waits for the app');
    s.status = 'DONE';
    events.push({ kind: 'issued', token: s.token });
    return { token: s.token, credentials: s.request.credentials, disclose: s.request.disclose || null };
  }

  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization',
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Cache-Control': 'no-store',
  };
  const json = (res, status, body) =>
    res.writeHead(status, { ...cors, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const error = (res, status, code) => json(res, status, { status, error: code, description: code });

  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    log(`${req.method} ${path}`);
    try {
      if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
      let m;
      if (req.method === 'POST' && path === '/session') {
        let claims;
        try {
          claims = verifyJwt(requestorKey, await readBody(req));
        } catch {
          return error(res, 401, 'UNAUTHORIZED');
        }
        const wrapper = claims.sprequest || claims.iprequest;
        if (!wrapper || !wrapper.request) return error(res, 400, 'INVALID_REQUEST');
        const type = claims.sprequest ? 'disclosing' : 'issuing';
        const s = newSession(type, wrapper.request, wrapper.validity, wrapper.nextSession && wrapper.nextSession.url);
        events.push({ kind: 'started', type, token: s.token });
        return json(res, 200, {
          token: s.token,
          sessionPtr: sessionPtr(s),
          frontendRequest: {
            authorization: s.authorization,
            pairingHint: false,
            minProtocolVersion: '1.0',
            maxProtocolVersion: '1.1',
          },
        });
      }
      if ((m = path.match(/^\/session\/([A-Za-z0-9]{20})\/(result|result-jwt)$/)) && req.method === 'GET') {
        const s = sessions.get(m[1]);
        if (!s) return error(res, 400, 'SESSION_UNKNOWN');
        const claims = resultClaims(s, s.status);
        if (m[2] === 'result') return json(res, 200, claims);
        return res.writeHead(200, { ...cors, 'Content-Type': 'text/plain' }).end(signJwt(privateKey, claims));
      }
      if ((m = path.match(/^\/irma\/session\/([A-Za-z0-9]{20})(\/frontend\/(status|statusevents))?$/))) {
        const s = byClient.get(m[1]);
        if (!s) return error(res, 400, 'SESSION_UNKNOWN');
        if (req.method === 'DELETE' && !m[2]) {
          if (s.status !== 'DONE') s.status = 'CANCELLED';
          return res.writeHead(204, cors).end();
        }
        if (req.method === 'GET' && m[3] === 'statusevents') return error(res, 404, 'NOT_FOUND');
        if (req.method === 'GET' && m[3] === 'status') {
          if (req.headers.authorization !== s.authorization) return error(res, 403, 'UNAUTHORIZED');
          const body = { status: s.status };
          if (s.status === 'DONE' && s.nextSession) body.nextSession = sessionPtr(s.nextSession);
          return json(res, 200, body);
        }
      }
      if (req.method === 'POST' && (path === '/_app/disclose' || path === '/_app/issue')) {
        const body = await readBody(req);
        const kind = path === '/_app/disclose' ? 'disclosing' : 'issuing';
        if (!waiting(kind)) return error(res, 409, `no ${kind} session waits for the app`);
        return json(res, 200, kind === 'disclosing' ? await disclose(JSON.parse(body || '{}')) : await issue());
      }
      if (req.method === 'GET' && path === '/_app/waiting') {
        const d = waiting('disclosing');
        const i = waiting('issuing');
        return json(res, 200, { disclosing: !!d, issuing: !!i });
      }
      return error(res, 404, 'NOT_FOUND');
    } catch (e) {
      log(`error: ${e.message}`);
      return error(res, 500, 'INTERNAL');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base,
    sessions,
    events,
    disclose,
    issue,
    server,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

// CLI, for `make run`: node testing/web/irma-standin.mjs --port 8088 --private-key FILE
//   [--requestor-public-key FILE]. The app's part, by hand:
//   curl -X POST http://127.0.0.1:8088/_app/disclose -d '{"initials":"A.M.","familyname":"den Hollander","dateofbirth":"20-02-1970","gender":"female"}'
//   curl -X POST http://127.0.0.1:8088/_app/issue      (the second scan of flow B)
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const { readFileSync } = await import('node:fs');
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const keyFile = opt('--private-key');
  if (!keyFile) {
    console.error('usage: irma-standin.mjs --port N --private-key FILE [--requestor-public-key FILE]');
    process.exit(2);
  }
  const pub = opt('--requestor-public-key');
  const s = await start({
    port: Number(opt('--port') || 8088),
    privateKey: readFileSync(keyFile, 'utf8'),
    requestorPublicKey: pub ? readFileSync(pub, 'utf8') : undefined,
  });
  console.log(`IRMA-server stand-in listening on ${s.url}`);
}
