import { request } from 'node:http';
import type { HttpRequest, HttpResponse } from '../src/http.js';
import { FALLBACK_PATTERN } from '../models/matrix/protocol.js';
import { UPSTREAM_HEADER } from './nginx-config.js';

/** A real response as the model's client sees responses, plus who served it. */
export interface RealResponse {
  readonly response: HttpResponse;
  /** The process nginx sent it to (`main`, `reader1`, ...), or '' (nginx itself, no answer). */
  readonly servedName: string;
  /** The raw status line and body start, for the report. */
  readonly raw: string;
}

const FALLBACK = new RegExp(FALLBACK_PATTERN);

/**
 * Rewrites the usernames a case uses so every case registers fresh accounts on a long-lived
 * deployment (`usera` -> `usera_<run>`), and back in answers, so observations read as the model's.
 */
export interface Renamer {
  readonly out: (value: unknown) => unknown;
  readonly back: (value: unknown) => unknown;
}

export function renamer(usernames: readonly string[], suffix: string): Renamer {
  const forward = new Map<string, string>();
  for (const name of usernames) {
    forward.set(name, `${name}${suffix}`);
    forward.set(`@${name}:test`, `@${name}${suffix}:test`);
  }
  const backward = new Map([...forward].map(([a, b]) => [b, a]));
  const walk = (map: Map<string, string>) => {
    const go = (value: unknown): unknown => {
      if (typeof value === 'string') return map.get(value) ?? value;
      if (Array.isArray(value)) return value.map(go);
      if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, go(v)]));
      return value;
    };
    return go;
  };
  return { out: walk(forward), back: walk(backward) };
}

/**
 * Sends a model request to the real deployment through nginx: the client's address as
 * X-Forwarded-For, a fallback form POST as a form, anything else as JSON. Fallback pages (HTML)
 * are read back as the model's FallbackPage: the success page (`onAuthDone`, Synapse's
 * SUCCESS_TEMPLATE) or the form.
 */
export function sendReal(baseUrl: string, req: HttpRequest, rename: Renamer, processOfPort: (port: number) => string, timeoutMs: number): Promise<RealResponse> {
  const fallback = FALLBACK.exec(req.path);
  const headers: Record<string, string> = { 'x-forwarded-for': req.ip, 'user-agent': req.userAgent };
  if (req.cookie !== undefined) headers.cookie = req.cookie;
  if (req.accessToken !== undefined) headers.authorization = `Bearer ${req.accessToken}`;
  let payload: string | null = null;
  if (req.method !== 'GET' && req.body !== undefined && req.body !== null) {
    const body = rename.out(req.body) as Record<string, unknown>;
    if (fallback !== null) {
      payload = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
  }
  const url = new URL(`${baseUrl}${req.path}${req.query === '' ? '' : `?${req.query}`}`);
  return new Promise((done) => {
    const r = request(url, { method: req.method, headers, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        const upstream = String(res.headers[UPSTREAM_HEADER] ?? '');
        const port = Number.parseInt(upstream.split(',').pop()?.split(':').pop() ?? '', 10);
        // nginx's own answer (a 502 for a refused upstream) comes from no process, as the model's router's.
        const fromNginx = status >= 502 && status <= 504 && !(res.headers['content-type'] ?? '').includes('json');
        const servedName = fromNginx || !Number.isFinite(port) ? '' : processOfPort(port);
        done({ response: { status, body: bodyOf(status, text, res.headers['content-type'] ?? '', fallback, req), servedBy: -1 }, servedName, raw: `${status} ${text.slice(0, 300)}` });
      });
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', () => done({ response: { status: 0, body: null, servedBy: -1 }, servedName: '', raw: 'no answer' }));
    if (payload !== null) r.write(payload);
    r.end();
  });
  function bodyOf(status: number, text: string, contentType: string, match: RegExpExecArray | null, sent: HttpRequest): unknown {
    if (contentType.includes('json')) {
      try {
        return rename.back(JSON.parse(text));
      } catch {
        return null;
      }
    }
    if (match !== null && status === 200 && contentType.includes('html')) {
      const session = new URLSearchParams(sent.query).get('session') ?? '';
      const success = text.includes('onAuthDone') || text.includes('authDone');
      return { page: success ? 'success' : 'form', stage: match[2] ?? '', session };
    }
    return null;
  }
}
