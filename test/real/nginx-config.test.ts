import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTING_1_8, ROUTING_STICKY_COOKIE, ROUTING_STICKY_IP } from '../../models/topologies/synapse-workers.js';
import { renderNginxConf, renderNginxRouting } from '../../real/nginx-config.js';

const PORTS: Record<string, number> = { main: 8008, reader1: 8081, reader2: 8082 };
const portOf = (name: string) => PORTS[name] as number;

describe('nginx config from a routing map', () => {
  it("1.8's map: /register to reader1's upstream, everything else to main", () => {
    const { upstreams, locations } = renderNginxRouting(ROUTING_1_8, portOf);
    expect(upstreams).toEqual(['upstream uiasim_register {', '    server 127.0.0.1:8081;', '}', 'upstream uiasim_default { server 127.0.0.1:8008; }']);
    expect(locations).toEqual(['location ~ "^/_matrix/client/(r0|v3|unstable)/register$" { proxy_pass http://uiasim_register; }', 'location / { proxy_pass http://uiasim_default; }']);
  });

  it('ip_hash pools become ip_hash upstreams; a cookie balancer is refused with one line', () => {
    expect(renderNginxRouting(ROUTING_STICKY_IP, portOf).upstreams).toContain('    ip_hash;');
    expect(() => renderNginxRouting(ROUTING_STICKY_COOKIE, portOf)).toThrow(/nginx cannot express pool uia's cookie balancer/);
  });

  it.skipIf(!existsSync('/usr/sbin/nginx'))('nginx itself accepts the whole config (nginx -t)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uiasim-nginx-'));
    try {
      for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'nginx-tmp', sub), { recursive: true });
      writeFileSync(join(dir, 'nginx.conf'), renderNginxConf(dir, 18080, renderNginxRouting(ROUTING_STICKY_IP, portOf)));
      expect(() => execFileSync('/usr/sbin/nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
