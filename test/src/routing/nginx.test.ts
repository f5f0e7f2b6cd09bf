import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Pool, RoutingMap } from '../../../src/router.js';
import { NginxConfigError, NginxRenderError, parseNginxConfig, renderNginxConfig } from '../../../src/routing/nginx.js';
import { STRATEGIES } from '../../../models/strategies.js';
import { ROUTING_1_12_PINNED, ROUTING_1_8 } from '../../../models/topologies/synapse-workers.js';

const fixture = (name: string): string => readFileSync(`${name.startsWith('synapse-1.8') ? 'examples' : 'test/fixtures'}/routing/${name}`, 'utf8');

const ADDRESSES = {
  listen: { host: '127.0.0.1', port: 8080 },
  upstreams: { main: { host: '127.0.0.1', port: 8008 }, reader1: { host: '127.0.0.1', port: 8081 }, reader2: { host: '127.0.0.1', port: 8082 } },
};

/** A map with its pools renamed after their rules' order, so maps that differ only in pool
 * names compare equal. */
function normalised(map: RoutingMap): RoutingMap {
  const names = new Map<string, string>();
  for (const rule of map.rules) if (!names.has(rule.pool)) names.set(rule.pool, `pool${names.size}`);
  return {
    rules: map.rules.map((rule) => ({ ...rule, pool: names.get(rule.pool) as string })),
    pools: Object.fromEntries([...names].map(([from, to]) => [to, map.pools[from] as Pool])),
    defaultUpstream: map.defaultUpstream,
  };
}

describe('reading the worker docs\' nginx configs (uia §3.2)', () => {
  it('1.8: /register to the one client_reader, everything else (the fallback too) to main', () => {
    const { routing, processes } = parseNginxConfig(fixture('synapse-1.8.nginx.conf'));
    expect(normalised(routing)).toEqual(normalised(ROUTING_1_8));
    expect(processes).toEqual(['main', 'reader1']);
  });

  it('1.12: /register and the fallback to the same client_reader; addresses named by # uiasim: comments', () => {
    const { routing } = parseNginxConfig(fixture('synapse-1.12.nginx.conf'));
    expect(normalised(routing)).toEqual(normalised(ROUTING_1_12_PINNED));
  });

  it('1.13: a whole nginx.conf; prefixes go after the regexes, as nginx matches them', () => {
    const { routing } = parseNginxConfig(fixture('synapse-1.13.nginx.conf'));
    expect(routing.rules.map((rule) => rule.path)).toEqual([
      '^/_matrix/client/(api/v1|r0|unstable)/login$',
      ...ROUTING_1_12_PINNED.rules.map((rule) => rule.path),
      '^/_matrix/client/r0/publicRooms',
    ]);
    expect(routing.pools).toEqual({ client_reader: { balancer: 'round-robin', upstreams: ['reader1'] } });
    expect(routing.defaultUpstream).toBe('main');
  });

  it('reads ip_hash, hash KEY [consistent] and random upstreams, exact and prefix locations', () => {
    const { routing } = parseNginxConfig(`
      upstream a { ip_hash; server reader1:1; server reader2:1; }
      upstream b { hash $arg_session consistent; server reader1:1; server main:1; }
      upstream c { hash $remote_addr; server reader2:1; }
      upstream d { random; server reader2:1; server reader1:1; }
      server {
        location /x/ { proxy_pass http://c; }
        location /x/longer { proxy_pass http://d; }
        location = /exact.path { proxy_pass http://a; }
        location ~ ^/r$ { proxy_pass http://b; }
        location / { proxy_pass http://main:8008; }
      }`);
    expect(routing.rules).toEqual([
      { path: '^/exact\\.path$', pool: 'a' },
      { path: '^/r$', pool: 'b' },
      { path: '^/x/longer', pool: 'd' },
      { path: '^/x/', pool: 'c' },
    ]);
    expect(routing.pools).toEqual({
      a: { balancer: 'ip_hash', upstreams: ['reader1', 'reader2'] },
      b: { balancer: 'hash', hash: { key: '$arg_session', consistent: true }, upstreams: ['reader1', 'main'] },
      c: { balancer: 'hash', hash: { key: '$remote_addr', consistent: false }, upstreams: ['reader2'] },
      d: { balancer: 'random', upstreams: ['reader2', 'reader1'] },
    });
  });
});

describe('refusing what a routing map cannot say, naming the line', () => {
  const refusal = (config: string): string => {
    try {
      parseNginxConfig(config);
    } catch (error) {
      if (error instanceof NginxConfigError) return error.message;
      throw error;
    }
    throw new Error('the config was accepted');
  };
  it.each([
    ['upstream u {\n  least_conn;\n  server reader1:1;\n}', 'line 2: `least_conn`: uiasim cannot map this directive (in upstream u) onto a routing map'],
    ['upstream u {\n  server reader1:1 weight=2;\n}', 'line 2: `server reader1:1 weight=2`: server parameters'],
    // max_fails=0 is the simulated router (never skips a process); any other count is not.
    ['upstream u {\n  server reader1:1 max_fails=3;\n}', 'line 2: `server reader1:1 max_fails=3`: server parameters'],
    ['upstream u {\n  server reader1:1 max_fails=0 weight=2;\n}', 'line 2: `server reader1:1 max_fails=0 weight=2`: server parameters'],
    ['server {\n  location / { proxy_pass http://main:1; }\n  location ~* ^/x$ { proxy_pass http://main:1; }\n}', 'line 3: `location ~* ^/x$`: case-insensitive'],
    ['server {\n  location / {\n    proxy_pass http://main:1;\n    rewrite ^ /x;\n  }\n}', 'line 4: `rewrite ^ /x`: uiasim cannot map this directive (in location)'],
    ['server {\n  location / { proxy_pass http://127.0.0.1:8008; }\n}', 'line 2: `proxy_pass http://127.0.0.1:8008`: cannot tell which process 127.0.0.1:8008 is'],
    ['server {\n  location /x { proxy_pass http://main:1; }\n}', 'line 1: the server block has no `location /`'],
    ['upstream u { hash $http_authorization; server main:1; }', 'line 1: `hash $http_authorization`: the variable $http_authorization'],
    ['server {\n  location / { proxy_pass http://main:1/prefix; }\n}', 'line 2: `proxy_pass http://main:1/prefix`: expected `proxy_pass http://UPSTREAM;`'],
    ['server {\n  location / { proxy_pass http://main:1 }\n}', 'line 2: directive `proxy_pass` has no ending `;`'],
    ['http {\n  include workers.conf;\n}', 'line 2: `include workers.conf`'],
    // Retrying another upstream sends a request where the map does not: only `off` is the map's router.
    ['http {\n  proxy_next_upstream error timeout;\n  server {\n    location / { proxy_pass http://main:1; }\n  }\n}', 'line 2: `proxy_next_upstream error timeout`: uiasim models `proxy_next_upstream off` only'],
  ])('%j', (config, message) => {
    expect(refusal(config)).toContain(message);
  });
});

describe('directives that leave the map as it is', () => {
  it('the realip module (which address is the client\'s) and proxy_next_upstream off (a failed upstream is a 502, as in the model)', () => {
    const { routing } = parseNginxConfig(`http {
      set_real_ip_from 127.0.0.0/8;
      real_ip_header X-Forwarded-For;
      proxy_next_upstream off;
      server {
        location / { proxy_pass http://main:8008; }
      }
    }`);
    expect(routing).toEqual({ rules: [], pools: {}, defaultUpstream: 'main' });
  });

  it('max_fails=0 on a server (never skip a process that failed, as the model\'s router does)', () => {
    const { routing } = parseNginxConfig(`upstream r { server reader1:1 max_fails=0; server reader2:2 max_fails=0; }
      server {
        location ~ ^/register$ { proxy_pass http://r; }
        location / { proxy_pass http://main:8008; }
      }`);
    expect(routing.pools['r']?.upstreams).toEqual(['reader1', 'reader2']);
  });
});

describe('rendering a routing map, then reading it back', () => {
  const expressible = STRATEGIES.filter((s) => Object.values(s.routing.pools).every((pool) => pool.balancer !== 'cookie' && pool.balancer !== 'affinity'));

  it('covers most built-in strategies', () => {
    expect(expressible.map((s) => s.name)).toEqual(['memory-1.8', 'pinned-1.12', 'main-only', 'sticky-ip', 'main-rpc', 'redis-blob', 'redis-hash', 'sql', 'sql-cached']);
  });

  it.each(expressible.map((s) => [s.name, s.routing] as const))('%s: the same map', (_, map) => {
    const text = renderNginxConfig(map, ADDRESSES);
    expect(parseNginxConfig(text).routing).toEqual(map);
  });

  it.each([
    ['sticky-cookie', 'pool uia balances by a router cookie, which open-source nginx cannot do'],
    ['session-hash', "pool uia balances by a session ID's owner prefix, which nginx cannot say"],
  ])('%s is refused with one line', (name, message) => {
    const strategy = STRATEGIES.find((s) => s.name === name);
    expect(() => renderNginxConfig(strategy?.routing as RoutingMap, ADDRESSES)).toThrow(new NginxRenderError(message).message);
  });

  it('a rule for one method is refused, and so is a process without an address', () => {
    expect(() => renderNginxConfig({ rules: [{ path: '^/x$', method: 'POST', pool: 'p' }], pools: { p: { balancer: 'round-robin', upstreams: ['main'] } }, defaultUpstream: 'main' }, ADDRESSES)).toThrow(
      'rule 1 (^/x$) applies to POST only',
    );
    expect(() => renderNginxConfig({ rules: [], pools: {}, defaultUpstream: 'reader9' }, ADDRESSES)).toThrow('no address given for process reader9');
  });

  it('hash keys and regexes with quotes, braces and backslashes survive the trip', () => {
    const map: RoutingMap = {
      rules: [
        { path: '^/a{2}/"q"\\\\x\\n$', pool: 'h' },
        { path: "^/b'c d$", pool: 'h' },
      ],
      pools: { h: { balancer: 'hash', hash: { key: '$arg_session', consistent: true }, upstreams: ['reader1', 'reader2'] } },
      defaultUpstream: 'main',
    };
    expect(parseNginxConfig(renderNginxConfig(map, ADDRESSES)).routing).toEqual(map);
  });

  it('renders what Synapse\'s docs show: regex locations, upstream blocks, location / to main', () => {
    expect(renderNginxConfig(ROUTING_1_12_PINNED, { ...ADDRESSES, mainDirectives: ['pid /tmp/x.pid;'], httpDirectives: ['access_log off;'] })).toBe(
      [
        '# Rendered by uiasim from a routing map: first matching location wins, everything else',
        '# goes to main. "# uiasim: NAME" names the process behind each address.',
        'pid /tmp/x.pid;',
        'events {}',
        'http {',
        '    access_log off;',
        '    upstream register {',
        '        server 127.0.0.1:8081;  # uiasim: reader1',
        '    }',
        '    upstream main_default {',
        '        server 127.0.0.1:8008;  # uiasim: main',
        '    }',
        '    server {',
        '        listen 127.0.0.1:8080;',
        '        proxy_set_header X-Forwarded-For $remote_addr;',
        '        proxy_set_header X-Forwarded-Proto $scheme;',
        '        proxy_set_header Host $host:$server_port;',
        '        client_max_body_size 50M;',
        '        location ~ ^/_matrix/client/(r0|v3|unstable)/register$ {',
        '            proxy_pass http://register;',
        '        }',
        '        location ~ ^/_matrix/client/(r0|v3|unstable)/auth/([\\w.]*)/fallback/web$ {',
        '            proxy_pass http://register;',
        '        }',
        '        location / {',
        '            proxy_pass http://main_default;',
        '        }',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
  });
});
