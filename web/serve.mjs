// A tiny static server for web/dist on 127.0.0.1, with config.json made from the options.
// CLI: node web/serve.mjs --port 8080 --issuance-request-url http://127.0.0.1:8081
// Module: serve({ port, issuanceRequestUrl }) -> Promise<http.Server> (port 0 picks a free one).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export function serve({ port = 8080, host = '127.0.0.1', issuanceRequestUrl }) {
  const config = JSON.stringify({ issuanceRequestUrl });
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const headers = {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES['.json'] }).end(config);
      return;
    }
    const file = normalize(path === '/' ? '/index.html' : path);
    if (file.includes('..') || !TYPES[extname(file)]) {
      res.writeHead(404, headers).end();
      return;
    }
    try {
      const body = await readFile(join(root, file));
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const port = Number(opt('--port', '8080'));
  const issuanceRequestUrl = opt('--issuance-request-url', 'http://127.0.0.1:8081');
  serve({ port, issuanceRequestUrl }).then(
    () => console.log(`web page on http://127.0.0.1:${port}/ (issuance-request: ${issuanceRequestUrl})`),
    (e) => {
      console.error(`web: cannot listen on 127.0.0.1:${port}: ${e.code || e.message}`);
      process.exit(1);
    },
  );
}
