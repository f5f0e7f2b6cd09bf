import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTING_1_8, ROUTING_STICKY_COOKIE, ROUTING_STICKY_IP } from '../../models/topologies/synapse-workers.js';
import { renderDeploymentNginx } from '../../real/nginx-config.js';
import { RealSetupError } from '../../real/versions.js';
import { parseNginxConfig } from '../../src/routing/nginx.js';

const PORTS: Record<string, number> = { main: 8008, reader1: 8081, reader2: 8082 };
const portOf = (name: string) => PORTS[name] as number;
const DIR = '/tmp/uiasim-real-test';

describe("a deployment's nginx config from a routing map (src/routing/nginx.ts writes it)", () => {
  it("1.8's map: /register to reader1's upstream, everything else to main; read back, it is the same map", () => {
    const conf = renderDeploymentNginx(DIR, 18080, ROUTING_1_8, portOf);
    expect(conf).toContain('server 127.0.0.1:8081 max_fails=0;  # uiasim: reader1');
    expect(conf).toContain('listen 127.0.0.1:18080;');
    expect(conf).toContain(`pid ${DIR}/nginx.pid;`);
    expect(conf).toContain('add_header X-Uiasim-Upstream $upstream_addr always;');
    const read = parseNginxConfig(conf);
    expect(read.routing.rules).toEqual(ROUTING_1_8.rules);
    expect(read.routing.defaultUpstream).toBe('main');
  });

  it('ip_hash pools become ip_hash upstreams; a cookie balancer is refused with one line, before anything starts', () => {
    expect(renderDeploymentNginx(DIR, 18080, ROUTING_STICKY_IP, portOf)).toMatch(/^ +ip_hash;$/m);
    expect(() => renderDeploymentNginx(DIR, 18080, ROUTING_STICKY_COOKIE, portOf)).toThrow(RealSetupError);
    expect(() => renderDeploymentNginx(DIR, 18080, ROUTING_STICKY_COOKIE, portOf)).toThrow(/^nginx cannot express this routing map: pool uia balances by a router cookie/);
  });

  it.skipIf(!existsSync('/usr/sbin/nginx'))('nginx itself accepts the whole config (nginx -t)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uiasim-nginx-'));
    try {
      for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'nginx-tmp', sub), { recursive: true });
      writeFileSync(join(dir, 'nginx.conf'), renderDeploymentNginx(dir, 18080, ROUTING_STICKY_IP, portOf));
      expect(() => execFileSync('/usr/sbin/nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
