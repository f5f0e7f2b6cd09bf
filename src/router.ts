import { httpResponse, type HttpMethod, type HttpRequest } from './http.js';
import { IdTable } from './id-table.js';
import type { Message, RequestMessage } from './message.js';
import type { Sim, SimNode } from './sim.js';

/**
 * - round-robin, random (a choice of the request's owner), ip_hash (nginx: the first three
 *   octets of the client address);
 * - cookie: sticky by a cookie the router sets on the first response (HAProxy `cookie ...
 *   insert`, nginx sticky cookie); a request without it is balanced round-robin;
 * - affinity: by a key the request carries (a query parameter or a JSON body path) whose prefix,
 *   up to `separator`, names the upstream; a request without one is balanced round-robin;
 * - hash: nginx's `hash KEY [consistent]`: the same key always reaches the same upstream; an
 *   empty key is balanced round-robin, as nginx does.
 */
export type Balancer = 'round-robin' | 'random' | 'ip_hash' | 'cookie' | 'affinity' | 'hash';

/** The key of nginx's `hash` balancer: text with the variables `$remote_addr`, `$uri`,
 * `$request_uri`, `$args`, `$arg_NAME` and `$cookie_NAME`. `consistent` (ketama in nginx)
 * changes which upstream a key reaches, not that it always reaches the same one. */
export interface HashKey {
  readonly key: string;
  readonly consistent: boolean;
}

/** The variables a `hash` key may use (nginx's names). */
export const HASH_VARIABLES = ['$remote_addr', '$uri', '$request_uri', '$args', '$arg_NAME', '$cookie_NAME'] as const;

/** Where the `affinity` balancer finds its key. */
export interface AffinityKey {
  readonly query?: string;
  readonly bodyPath?: readonly string[];
  readonly separator: string;
}

/** The cookie the `cookie` balancer sets and reads. */
export const STICKY_COOKIE = 'uiasim_upstream';

export interface RouteRule {
  /** A regular expression matched against the request path (not the query). */
  readonly path: string;
  /** Only this method, when given. */
  readonly method?: HttpMethod;
  readonly pool: string;
}

export interface Pool {
  readonly balancer: Balancer;
  /** Process names. */
  readonly upstreams: readonly string[];
  /** For the `affinity` balancer. */
  readonly affinity?: AffinityKey;
  /** For the `hash` balancer. */
  readonly hash?: HashKey;
}

/** A deployment's worker map as the reverse proxy sees it: ordered rules, first match wins,
 * unmatched paths go to `defaultUpstream` (main), as Synapse's worker docs prescribe. */
export interface RoutingMap {
  readonly rules: readonly RouteRule[];
  readonly pools: Readonly<Record<string, Pool>>;
  readonly defaultUpstream: string;
}

/** A pool's balancing state is shared by every rule naming it, as an nginx `upstream` block's. */
interface CompiledPool {
  readonly balancer: Balancer;
  readonly upstreams: readonly number[];
  readonly names: readonly string[];
  readonly affinity: AffinityKey | undefined;
  readonly hashKey: string | undefined;
  nextIndex: number;
}

interface CompiledRule {
  readonly regex: RegExp;
  readonly method: HttpMethod | undefined;
  readonly pool: CompiledPool;
}

/**
 * The reverse proxy in front of the processes. It knows nothing about faults: a refused or
 * reset upstream connection becomes a 502, and a POST is never retried (nginx's default).
 */
export class RouterNode implements SimNode {
  readonly up = true;
  readonly incarnation = 1;
  private readonly rules: CompiledRule[];
  private readonly defaultUpstream: number;
  /** Upstream request id -> the client's request. */
  private readonly pending = new IdTable<RequestMessage>();
  /** Client requests whose response must set the sticky cookie. */
  private readonly stickyCookies = new Set<number>();

  constructor(
    private readonly sim: Sim,
    readonly id: number,
    readonly name: string,
    map: RoutingMap,
  ) {
    this.defaultUpstream = sim.nodeByName(map.defaultUpstream).id;
    const pools = new Map<string, CompiledPool>();
    this.rules = map.rules.map((rule) => {
      let pool = pools.get(rule.pool);
      if (pool === undefined) {
        const spec = map.pools[rule.pool];
        if (spec === undefined) throw new Error(`routing: rule ${rule.path} names an unknown pool ${rule.pool}`);
        if (spec.upstreams.length === 0) throw new Error(`routing: pool ${rule.pool} has no upstreams`);
        if (spec.balancer === 'affinity' && spec.affinity === undefined) throw new Error(`routing: pool ${rule.pool} balances by affinity but names no key`);
        if (spec.balancer === 'hash') {
          if (spec.hash === undefined) throw new Error(`routing: pool ${rule.pool} balances by hash but names no key`);
          const unknown = unknownHashVariable(spec.hash.key);
          if (unknown !== undefined) throw new Error(`routing: pool ${rule.pool} hashes on ${unknown}, not one of ${HASH_VARIABLES.join(', ')}`);
        }
        pool = {
          balancer: spec.balancer,
          upstreams: spec.upstreams.map((name) => sim.nodeByName(name).id),
          names: spec.upstreams,
          affinity: spec.affinity,
          hashKey: spec.hash?.key,
          nextIndex: 0,
        };
        pools.set(rule.pool, pool);
      }
      return { regex: compiled(rule.path), method: rule.method, pool };
    });
  }

  /** The process a request goes to (advances round-robin counters and consumes choices). */
  route(request: HttpRequest, owner: number): number {
    return this.routeBy(this.matchingRule(request), request, owner);
  }

  private routeBy(rule: CompiledRule | undefined, request: HttpRequest, owner: number): number {
    if (rule !== undefined) {
      const pool = rule.pool;
      const n = pool.upstreams.length;
      switch (pool.balancer) {
        case 'round-robin':
          return roundRobin(pool);
        case 'cookie': {
          const at = pool.names.indexOf(cookieValue(request.cookie, STICKY_COOKIE) ?? '');
          return at >= 0 ? (pool.upstreams[at] as number) : roundRobin(pool);
        }
        case 'affinity': {
          const key = affinityKey(request, pool.affinity as AffinityKey);
          const designated = key === undefined ? -1 : pool.names.indexOf(key);
          return designated >= 0 ? (pool.upstreams[designated] as number) : roundRobin(pool);
        }
        case 'random':
          return pool.upstreams[this.sim.chooser.pick(n, owner)] as number;
        case 'ip_hash':
          return pool.upstreams[ipHash(request.ip) % n] as number;
        case 'hash': {
          const key = hashKeyOf(request, pool.hashKey as string);
          return key === '' ? roundRobin(pool) : (pool.upstreams[fnv1a(key) % n] as number);
        }
        default: {
          const unreachable: never = pool.balancer;
          throw new Error(`routing: unknown balancer ${String(unreachable)}`);
        }
      }
    }
    return this.defaultUpstream;
  }

  private matchingRule(request: HttpRequest): CompiledRule | undefined {
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method !== request.method) continue;
      if (rule.regex.test(request.path)) return rule;
    }
    return undefined;
  }

  receive(message: Message): void {
    switch (message.kind) {
      case 'request': {
        const rule = this.matchingRule(message.payload);
        const upstream = this.routeBy(rule, message.payload, message.owner);
        // A request balanced by cookie without one gets the cookie on its response.
        if (rule?.pool.balancer === 'cookie' && cookieValue(message.payload.cookie, STICKY_COOKIE) === undefined) this.stickyCookies.add(message.id);
        const target = this.sim.node(upstream);
        const forwarded = this.sim.send('request', this.id, upstream, message.owner, -1, target.incarnation, message.payload);
        this.pending.set(forwarded.id, message);
        return;
      }
      case 'response': {
        const original = this.pending.take(message.replyTo);
        if (original === undefined) return; // the connection was already answered (a reset won)
        const response = message.payload;
        const sticky = this.stickyCookies.size > 0 && this.stickyCookies.delete(original.id);
        const forwarded = sticky
          ? { ...httpResponse(response.status, response.body, message.from), setCookie: `${STICKY_COOKIE}=${this.sim.node(message.from).name}` }
          : httpResponse(response.status, response.body, message.from);
        this.sim.send('response', this.id, original.from, original.owner, original.id, -1, forwarded);
        return;
      }
      case 'reset': {
        const original = this.pending.take(message.replyTo);
        if (original === undefined) return;
        // servedBy -1: the router itself answered.
        this.sim.send('response', this.id, original.from, original.owner, original.id, -1, httpResponse(502, { error: 'Bad Gateway' }));
        return;
      }
      case 'command':
      case 'result':
      case 'timer':
      case 'notify':
        throw new Error(`router got a ${message.kind} message; it only proxies HTTP`);
      default: {
        const unreachable: never = message;
        throw new Error(`router: unknown message ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

function roundRobin(pool: CompiledPool): number {
  const index = pool.nextIndex;
  pool.nextIndex = (index + 1) % pool.upstreams.length;
  return pool.upstreams[index] as number;
}

/** The value of cookie `name` in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [key, value] = part.trim().split('=');
    if (key === name && value !== undefined) return value;
  }
  return undefined;
}

/** The upstream name an affinity key designates: the key's prefix up to the separator. */
function affinityKey(request: HttpRequest, affinity: AffinityKey): string | undefined {
  let key: unknown;
  if (affinity.query !== undefined) {
    for (const part of request.query.split('&')) {
      const [name, value] = part.split('=');
      if (name === affinity.query && value !== undefined) key = decodeURIComponent(value);
    }
  }
  if (key === undefined && affinity.bodyPath !== undefined) {
    key = request.body;
    for (const step of affinity.bodyPath) key = typeof key === 'object' && key !== null ? (key as Record<string, unknown>)[step] : undefined;
  }
  if (typeof key !== 'string') return undefined;
  const end = key.indexOf(affinity.separator);
  return end > 0 ? key.slice(0, end) : undefined;
}

/** Routing maps are built once per run: share the compiled patterns (no `g` flag, so a RegExp
 * keeps no state between tests). */
const patterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(pattern);
    patterns.set(pattern, regex);
  }
  return regex;
}

/** nginx's ip_hash keys on the first three octets of an IPv4 address. */
export function ipHash(ip: string): number {
  return fnv1a(ip.split('.').slice(0, 3).join('.'));
}

function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const VARIABLE = /\$(remote_addr|request_uri|uri|args|arg_[A-Za-z0-9_]+|cookie_[A-Za-z0-9_]+|[A-Za-z0-9_]+)/g;

/** The first variable of a hash key the router cannot compute, if any. */
export function unknownHashVariable(key: string): string | undefined {
  for (const match of key.matchAll(VARIABLE)) {
    const name = match[1] as string;
    if (!/^(remote_addr|request_uri|uri|args|arg_.+|cookie_.+)$/.test(name)) return `$${name}`;
  }
  return undefined;
}

/** A hash key with its variables replaced by the request's values (nginx: a missing one is ''). */
function hashKeyOf(request: HttpRequest, key: string): string {
  return key.replace(VARIABLE, (_, name: string) => {
    if (name === 'remote_addr') return request.ip;
    if (name === 'uri') return request.path;
    if (name === 'args') return request.query;
    if (name === 'request_uri') return request.query === '' ? request.path : `${request.path}?${request.query}`;
    if (name.startsWith('arg_')) return queryValue(request.query, name.slice(4)) ?? '';
    return cookieValue(request.cookie, name.slice(7)) ?? '';
  });
}

function queryValue(query: string, name: string): string | undefined {
  for (const part of query.split('&')) {
    const [key, value] = part.split('=');
    if (key === name && value !== undefined) return value;
  }
  return undefined;
}
