import { request } from 'node:http';

/**
 * Google's reCAPTCHA `siteverify`, served locally (Synapse's `recaptcha_siteverify_api`): Synapse
 * POSTs `secret`, `response` and `remoteip` and reads `success` (uia §1.5). A non-empty response
 * verifies unless the case's captcha is failing; `slow` holds the answer (the model's
 * CaptchaBehaviour, models/synapse/captcha-service.ts). `POST /control` with
 * `{"mode": "healthy" | "failing" | "slow", "delayMs": n}` switches it; `GET /calls` counts calls.
 * A separate process (it outlives `uiasim real up`), run as `node -e <this source> PORT`, so it
 * needs no build.
 */
export const SITEVERIFY_SOURCE = `
const http = require('node:http');
const port = Number(process.argv[1]);
let mode = { mode: 'healthy', delayMs: 0 };
let calls = 0;
function body(req, done) { let text = ''; req.on('data', (c) => (text += c)); req.on('end', () => done(text)); }
http.createServer((req, res) => {
  body(req, (text) => {
    if (req.url === '/control' && req.method === 'POST') { mode = JSON.parse(text); res.end('{}'); return; }
    if (req.url === '/calls') { res.end(JSON.stringify({ calls })); return; }
    calls++;
    const form = new URLSearchParams(text);
    const solved = (form.get('response') || '') !== '';
    const success = solved && mode.mode !== 'failing';
    const answer = JSON.stringify(success ? { success: true } : { success: false, 'error-codes': [solved ? 'timeout-or-duplicate' : 'missing-input-response'] });
    const delay = mode.mode === 'slow' ? mode.delayMs : 0;
    setTimeout(() => { res.setHeader('content-type', 'application/json'); res.end(answer); }, delay);
  });
}).listen(port, '127.0.0.1');
// uiasim-siteverify
`;

export type SiteverifyMode = { readonly mode: 'healthy' } | { readonly mode: 'failing' } | { readonly mode: 'slow'; readonly delayMs: number };

export function setSiteverifyMode(port: number, mode: SiteverifyMode): Promise<void> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path: '/control', method: 'POST' }, (res) => {
      res.resume();
      res.on('end', () => done());
    });
    req.on('error', fail);
    req.end(JSON.stringify({ delayMs: 0, ...mode }));
  });
}
