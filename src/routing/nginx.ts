import { unknownHashVariable, type Pool, type RouteRule, type RoutingMap } from '../router.js';
import { NginxConfigError, nginxWord, parseNginxSyntax, type NginxDirective } from './nginx-syntax.js';
import { messageOf } from '../error-message.js';

export { NginxConfigError } from './nginx-syntax.js';

/**
 * A routing map as an nginx config, both ways (docs/routing.md):
 * - read (`parseNginxConfig`): the `upstream` blocks (round-robin, `ip_hash`, `hash KEY
 *   [consistent]`, `random`) and one `server` block's `location` blocks (`~ REGEX`, `= PATH`,
 *   and plain prefixes, each with `proxy_pass`) become a RoutingMap, in nginx's own order of
 *   matching: exact locations, then regex ones in file order, then prefixes longest first;
 *   `location /` names the default upstream (main, as Synapse's worker docs prescribe).
 *   Anything that would change where a request goes and that the map cannot say is refused
 *   with its line (NginxConfigError);
 * - write (`renderNginxConfig`): a RoutingMap and the processes' addresses become a config a
 *   real nginx runs. Every location is a regex one, so nginx's order is the map's order.
 *
 * A server address names its process by a trailing comment `# uiasim: NAME` (what the renderer
 * writes) or, without one, by its host (`server reader1:8081;`, as in a compose network).
 */

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface NginxRenderOptions {
  readonly listen: HostPort;
  /** Every process the map names, by name. */
  readonly upstreams: Readonly<Record<string, HostPort>>;
  /** Lines added at the top level (e.g. `pid /tmp/nginx.pid;`, `error_log stderr;`). */
  readonly mainDirectives?: readonly string[];
  /** Lines added inside `http { }` (e.g. `access_log off;`, temp paths). */
  readonly httpDirectives?: readonly string[];
  /** Parameters after each `server ADDRESS` (e.g. `max_fails=0`); none by default. */
  readonly serverParameters?: string;
}

/** What a config says: the map, and the processes it names (the default upstream first). */
export interface NginxRouting {
  readonly routing: RoutingMap;
  readonly processes: readonly string[];
}

/** A map nginx cannot express (the reason is one line). */
export class NginxRenderError extends Error {}

// ---------------------------------------------------------------------------------- render

/** A routing map as an nginx config (a whole file: `events {}` and `http {}`). */
export function renderNginxConfig(map: RoutingMap, options: NginxRenderOptions): string {
  const address = (process: string): string => {
    const at = options.upstreams[process];
    if (at === undefined) throw new NginxRenderError(`no address given for process ${process}`);
    return `${at.host}:${at.port}`;
  };
  const upstream = (name: string, pool: Pool): string[] => {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new NginxRenderError(`pool ${JSON.stringify(name)} is not a name nginx takes for an upstream ([A-Za-z0-9_.-])`);
    const balancing = balancerDirective(name, pool);
    return [
      `    upstream ${name} {`,
      ...(balancing === undefined ? [] : [`        ${balancing};`]),
      ...pool.upstreams.map((process) => `        server ${address(process)}${options.serverParameters === undefined ? '' : ` ${options.serverParameters}`};  # uiasim: ${process}`),
      '    }',
    ];
  };
  const used = new Set(map.rules.map((rule) => rule.pool));
  const pools = Object.entries(map.pools).filter(([name]) => used.has(name));
  let defaultName = `${map.defaultUpstream}_default`;
  while (map.pools[defaultName] !== undefined) defaultName += '_';
  const locations = map.rules.flatMap((rule, index) => {
    if (rule.method !== undefined) throw new NginxRenderError(`rule ${index + 1} (${rule.path}) applies to ${rule.method} only; an nginx location cannot choose by method`);
    if (map.pools[rule.pool] === undefined) throw new NginxRenderError(`rule ${index + 1} (${rule.path}) names an unknown pool ${rule.pool}`);
    return [`        location ~ ${nginxWord(rule.path)} {`, `            proxy_pass http://${rule.pool};`, '        }'];
  });
  return [
    '# Rendered by uiasim from a routing map: first matching location wins, everything else',
    `# goes to ${map.defaultUpstream}. "# uiasim: NAME" names the process behind each address.`,
    ...(options.mainDirectives ?? []),
    'events {}',
    'http {',
    ...(options.httpDirectives ?? []).map((line) => `    ${line}`),
    ...pools.flatMap(([name, pool]) => upstream(name, pool)),
    ...upstream(defaultName, { balancer: 'round-robin', upstreams: [map.defaultUpstream] }),
    '    server {',
    `        listen ${options.listen.host}:${options.listen.port};`,
    // What Synapse's reverse-proxy docs set, so the processes see the client and its scheme.
    '        proxy_set_header X-Forwarded-For $remote_addr;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_set_header Host $host:$server_port;',
    '        client_max_body_size 50M;',
    ...locations,
    '        location / {',
    `            proxy_pass http://${defaultName};`,
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
}

function balancerDirective(name: string, pool: Pool): string | undefined {
  switch (pool.balancer) {
    case 'round-robin':
      return undefined;
    case 'ip_hash':
      return 'ip_hash';
    case 'random':
      return 'random';
    case 'hash':
      if (pool.hash === undefined) throw new NginxRenderError(`pool ${name} balances by hash but names no key`);
      return `hash ${nginxWord(pool.hash.key)}${pool.hash.consistent ? ' consistent' : ''}`;
    case 'cookie':
      throw new NginxRenderError(`pool ${name} balances by a router cookie, which open-source nginx cannot do (sticky cookie is nginx Plus)`);
    case 'affinity':
      throw new NginxRenderError(`pool ${name} balances by a session ID's owner prefix, which nginx cannot say with upstream and location blocks`);
    default: {
      const unreachable: never = pool.balancer;
      throw new Error(`nginx render: unknown balancer ${String(unreachable)}`);
    }
  }
}

// ------------------------------------------------------------------------------------ read

/** Directives that change nothing about where a request goes, by the block they sit in. */
const HARMLESS: Readonly<Record<'main' | 'http' | 'server' | 'location' | 'upstream', readonly string[]>> = {
  main: ['user', 'worker_processes', 'pid', 'error_log', 'daemon', 'master_process', 'worker_rlimit_nofile', 'pcre_jit', 'worker_shutdown_timeout'],
  http: ['access_log', 'error_log', 'log_format', 'sendfile', 'tcp_nopush', 'tcp_nodelay', 'keepalive_timeout', 'default_type', 'server_tokens', 'client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path', 'types', 'types_hash_max_size', 'server_names_hash_bucket_size'],
  server: ['listen', 'server_name', 'access_log', 'error_log', 'ssl_certificate', 'ssl_certificate_key', 'ssl_protocols', 'ssl_ciphers', 'http2'],
  location: ['access_log', 'error_log'],
  upstream: ['keepalive', 'keepalive_timeout', 'keepalive_requests', 'keepalive_time', 'zone'],
};

/** Proxy and body settings that may sit in http, server or location blocks: headers, buffers,
 * timeouts (the simulated network has its own); and the realip module's directives, which say
 * which address is the client's (the model's clients have theirs): none moves a request. */
function harmlessAnywhere(name: string): boolean {
  return (
    (name.startsWith('proxy_') && name !== 'proxy_pass' && name !== 'proxy_next_upstream') ||
    name.startsWith('client_') ||
    name === 'add_header' ||
    name === 'charset' ||
    name === 'set_real_ip_from' ||
    name === 'real_ip_header'
  );
}

const refuse = (d: NginxDirective, why: string): never => {
  throw new NginxConfigError(d.line, `\`${[d.name, ...d.args].join(' ')}\`: ${why}`);
};

const unsupported = (d: NginxDirective, where: string): never => refuse(d, `uiasim cannot map this directive (in ${where}) onto a routing map`);

interface Location {
  readonly directive: NginxDirective;
  readonly kind: 'exact' | 'regex' | 'prefix';
  readonly path: string;
  /** Its proxy_pass directive and the `host[:port]` it names. */
  readonly proxyPass: NginxDirective;
  readonly target: string;
}

interface Upstream {
  readonly pool: Pool;
  readonly line: number;
}

/** An nginx config as a routing map; throws NginxConfigError naming the line it cannot map. */
export function parseNginxConfig(source: string): NginxRouting {
  const upstreams = new Map<string, Upstream>();
  const locations: Location[] = [];
  let server: NginxDirective | undefined;

  const readServer = (block: NginxDirective): void => {
    if (server !== undefined) refuse(block, `a second server block (the first is on line ${server.line}); uiasim reads one`);
    server = block;
    for (const d of block.block ?? []) {
      if (d.name === 'location') locations.push(readLocation(d));
      else if (d.name === 'proxy_next_upstream') readNextUpstream(d);
      else if (!HARMLESS.server.includes(d.name) && !harmlessAnywhere(d.name)) unsupported(d, 'server');
    }
  };
  const readHttp = (block: NginxDirective): void => {
    for (const d of block.block ?? []) {
      if (d.name === 'upstream') readUpstream(d);
      else if (d.name === 'server') readServer(d);
      else if (d.name === 'proxy_next_upstream') readNextUpstream(d);
      else if (!HARMLESS.http.includes(d.name) && !harmlessAnywhere(d.name)) unsupported(d, 'http');
    }
  };
  const readUpstream = (d: NginxDirective): void => {
    const name = d.args[0];
    if (d.args.length !== 1 || name === undefined || d.block === undefined) refuse(d, 'expected `upstream NAME { ... }`');
    const previous = upstreams.get(name as string);
    if (previous !== undefined) refuse(d, `upstream ${name} is already defined on line ${previous.line}`);
    const servers: string[] = [];
    let balancing: Pick<Pool, 'balancer' | 'hash'> = { balancer: 'round-robin' };
    let balancingLine: number | undefined;
    const setBalancing = (inner: NginxDirective, to: Pick<Pool, 'balancer' | 'hash'>): void => {
      if (balancingLine !== undefined) refuse(inner, `a second balancing method in upstream ${name} (the first is on line ${balancingLine})`);
      balancing = to;
      balancingLine = inner.line;
    };
    for (const inner of d.block ?? []) {
      if (inner.name === 'server') {
        // max_fails=0 (never mark an upstream failed) is what the model's router does; nginx's
        // default (max_fails=1: skip it for 10 s after one failure) is not modelled either.
        const parameters = inner.args.slice(1);
        if (parameters.length > 1 || (parameters.length === 1 && parameters[0] !== 'max_fails=0')) {
          refuse(inner, 'server parameters (weight, backup, down, max_fails other than 0, ...) change balancing in ways uiasim does not model');
        }
        servers.push(processOf(inner, inner.args[0] as string));
      } else if (inner.name === 'ip_hash' && inner.args.length === 0) {
        setBalancing(inner, { balancer: 'ip_hash' });
      } else if (inner.name === 'random' && inner.args.length === 0) {
        setBalancing(inner, { balancer: 'random' });
      } else if (inner.name === 'hash' && (inner.args.length === 1 || (inner.args.length === 2 && inner.args[1] === 'consistent'))) {
        const key = inner.args[0] as string;
        const unknown = unknownHashVariable(key);
        if (unknown !== undefined) refuse(inner, `the variable ${unknown} is not one uiasim computes ($remote_addr, $uri, $request_uri, $args, $arg_NAME, $cookie_NAME)`);
        setBalancing(inner, { balancer: 'hash', hash: { key, consistent: inner.args.length === 2 } });
      } else if (!HARMLESS.upstream.includes(inner.name)) {
        unsupported(inner, `upstream ${name}`);
      }
    }
    if (servers.length === 0) refuse(d, `upstream ${name} has no server`);
    upstreams.set(name as string, { pool: { ...balancing, upstreams: servers }, line: d.line });
  };

  for (const d of parseNginxSyntax(source)) {
    if (d.name === 'http' && d.block !== undefined) readHttp(d);
    else if (d.name === 'events' && d.block !== undefined) continue; // connection handling only
    // A file of http-level directives (an include under http {}, as Synapse's docs show).
    else if (d.name === 'upstream' || d.name === 'server') readHttp({ name: 'http', args: [], line: d.line, block: [d] });
    else if (!HARMLESS.main.includes(d.name) && !HARMLESS.http.includes(d.name) && !harmlessAnywhere(d.name)) unsupported(d, 'the top level');
  }
  if (server === undefined) throw new NginxConfigError(1, 'no `server { ... }` block with the `location` blocks');
  return toRoutingMap(server, locations, upstreams);
}

function readLocation(d: NginxDirective): Location {
  if (d.block === undefined) refuse(d, 'expected `location [~|=] PATH { proxy_pass ...; }`');
  let kind: Location['kind'];
  let path: string;
  const [first, second] = d.args;
  if (d.args.length === 2 && first === '~') [kind, path] = ['regex', second as string];
  else if (d.args.length === 2 && first === '=') [kind, path] = ['exact', second as string];
  else if (d.args.length === 1 && first !== undefined && first.startsWith('/')) [kind, path] = ['prefix', first];
  else if (first === '~*') return refuse(d, 'case-insensitive locations cannot be mapped (a routing rule is a case-sensitive regex)');
  else if (first === '^~') return refuse(d, '`^~` prefixes override regex locations, which a first-match routing map cannot say');
  else return refuse(d, 'expected `location ~ REGEX`, `location = PATH` or `location /PREFIX`');
  if (kind === 'regex') {
    try {
      new RegExp(path);
    } catch (error) {
      refuse(d, `not a regular expression uiasim can use: ${messageOf(error)}`);
    }
  }
  let proxyPass: NginxDirective | undefined;
  let target: string | undefined;
  for (const inner of d.block ?? []) {
    if (inner.name === 'proxy_pass') {
      if (proxyPass !== undefined) refuse(inner, 'a second proxy_pass in one location');
      const match = /^https?:\/\/([^/]+)$/.exec(inner.args[0] ?? '');
      if (inner.args.length !== 1 || match === null) refuse(inner, 'expected `proxy_pass http://UPSTREAM;` (a URI part would rewrite the path)');
      proxyPass = inner;
      target = (match as RegExpExecArray)[1] as string;
    } else if (inner.name === 'location') {
      refuse(inner, 'nested locations cannot be mapped');
    } else if (inner.name === 'proxy_next_upstream') {
      readNextUpstream(inner);
    } else if (!HARMLESS.location.includes(inner.name) && !harmlessAnywhere(inner.name)) {
      unsupported(inner, 'location');
    }
  }
  if (proxyPass === undefined || target === undefined) return refuse(d, 'a location without proxy_pass reaches no process');
  return { directive: d, kind, path, proxyPass, target };
}

/** The simulated router never retries a request on another upstream; nginx does by default
 * when the connection fails, unless told `off`. Only `off` is read; other values are refused. */
function readNextUpstream(d: NginxDirective): void {
  if (d.args.length !== 1 || d.args[0] !== 'off') refuse(d, 'uiasim models `proxy_next_upstream off` only (its router never retries on another process)');
}

/** The process a server address stands for: `# uiasim: NAME`, else the address's host. */
function processOf(d: Pick<NginxDirective, 'line' | 'name' | 'args' | 'trailingComment'>, address: string): string {
  const named = /^uiasim:\s*([a-z][a-z0-9_-]*)$/.exec(d.trailingComment ?? '');
  if (named !== null) return named[1] as string;
  const host = address.replace(/:\d+$/, '');
  if (/^[a-z][a-z0-9_-]*$/.test(host) && host !== 'localhost') return host;
  return refuse(d as NginxDirective, `cannot tell which process ${address} is: use its name as the host (server reader1:8081;) or end the line with # uiasim: NAME`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The locations in nginx's order of matching, as first-match rules. */
function toRoutingMap(server: NginxDirective, locations: readonly Location[], upstreams: ReadonlyMap<string, Upstream>): NginxRouting {
  const pools: Record<string, Pool> = {};
  const processes: string[] = [];
  const note = (names: readonly string[]): void => {
    for (const name of names) if (!processes.includes(name)) processes.push(name);
  };
  /** The pool a proxy_pass names: an upstream block, or one address (a pool of one). */
  const poolOf = (location: Location): Pool =>
    upstreams.get(location.target)?.pool ?? { balancer: 'round-robin', upstreams: [processOf(location.proxyPass, location.target)] };
  const root = locations.find((l) => l.kind === 'prefix' && l.path === '/');
  if (root === undefined) throw new NginxConfigError(server.line, 'the server block has no `location /`: unmatched requests must reach a process (main, in Synapse\'s docs)');
  const rootUpstreams = poolOf(root).upstreams;
  if (rootUpstreams.length !== 1) refuse(root.directive, `\`location /\` must reach one process (main), not ${rootUpstreams.length}`);
  const defaultUpstream = rootUpstreams[0] as string;
  note([defaultUpstream]);

  const ordered = [
    ...locations.filter((l) => l.kind === 'exact'),
    ...locations.filter((l) => l.kind === 'regex'),
    ...locations.filter((l) => l.kind === 'prefix' && l !== root).sort((a, b) => b.path.length - a.path.length),
  ];
  const rules: RouteRule[] = ordered.map((l) => {
    const pool = l.target;
    pools[pool] = poolOf(l);
    note((pools[pool] as Pool).upstreams);
    const path = l.kind === 'regex' ? l.path : l.kind === 'exact' ? `^${escapeRegex(l.path)}$` : `^${escapeRegex(l.path)}`;
    return { path, pool };
  });
  return { routing: { rules, pools, defaultUpstream }, processes };
}
