import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uiasim } from './run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = `${root}test-output/routing/`;
mkdirSync(out, { recursive: true });

interface CheckReport {
  verdict: string;
  runs: number;
  violation?: { why: string; traceHash: string; token: string; requests: number };
}

const check = async (routing: string, ...args: string[]): Promise<CheckReport> => {
  const run = await uiasim('check', '--routing', routing, '--json', ...args);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as CheckReport;
};

/** What must agree between two files holding the same map: everything but the token (which
 * names the file). */
const verdictOf = (report: CheckReport) => ({ verdict: report.verdict, runs: report.runs, why: report.violation?.why, traceHash: report.violation?.traceHash, requests: report.violation?.requests });

describe('routing files as data: .ts, JSON, YAML and nginx give the same verdicts', () => {
  const files = ['synapse-1.8.ts', 'synapse-1.8.json', 'synapse-1.8.yaml', 'synapse-1.8.nginx.conf'].map((f) => `examples/routing/${f}`);
  it.each([
    [['--strategy', 'memory-1.8', '--faults', 'steady', '--workload', 'registration', '--runs', '200']],
    [['--strategy', 'sql', '--faults', 'worker-restart', '--runs', '40']],
  ])('check %j', async (args) => {
    const reports = [];
    for (const file of files) reports.push(verdictOf(await check(file, ...args)));
    for (const report of reports.slice(1)) expect(report).toEqual(reports[0]);
  });

  it('docs/routing.md shows the example nginx config as it is in examples/routing', async () => {
    expect(readFileSync(`${root}docs/routing.md`, 'utf8')).toContain(`\`\`\`nginx\n${readFileSync(`${root}examples/routing/synapse-1.8.nginx.conf`, 'utf8')}\`\`\``);
  });

  it('the 1.8 docs config finds #6705 on memory-1.8 exactly as the built-in map does, and its token replays', async () => {
    const builtIn = JSON.parse((await uiasim('check', '--strategy', 'memory-1.8', '--faults', 'steady', '--workload', 'registration', '--json')).stdout) as CheckReport;
    const fromNginx = await check('examples/routing/synapse-1.8.nginx.conf', '--strategy', 'memory-1.8', '--faults', 'steady', '--workload', 'registration');
    expect(fromNginx.verdict).toBe('violated');
    expect(verdictOf(fromNginx)).toEqual(verdictOf(builtIn));
    const replay = await uiasim('replay', fromNginx.violation?.token ?? '', '--json');
    expect(replay.stderr).toBe('');
    expect(JSON.parse(replay.stdout)).toMatchObject({ verdict: 'violated', traceHash: fromNginx.violation?.traceHash });
  });

  it('the 1.12 and 1.13 docs configs pin the fallback to the client_reader: no lost progress on memory-1.8', async () => {
    for (const file of ['synapse-1.12.nginx.conf', 'synapse-1.13.nginx.conf']) {
      expect((await check(`test/fixtures/routing/${file}`, '--strategy', 'memory-1.8', '--faults', 'steady', '--workload', 'registration', '--runs', '100')).verdict).toBe('holds');
    }
  });
});

describe('a routing file uiasim cannot read exits 2 with one line', () => {
  it.each([
    ['least-conn.conf', 'upstream w {\n    least_conn;\n    server reader1:8083;\n}\nserver {\n    location / { proxy_pass http://main:8008; }\n}\n', 'routing file test-output/routing/least-conn.conf line 2: `least_conn`: uiasim cannot map this directive (in upstream w) onto a routing map'],
    ['sticky.conf', 'upstream w {\n    server reader1:8083;\n    sticky cookie srv_id;\n}\n', 'routing file test-output/routing/sticky.conf line 3: `sticky cookie srv_id`: uiasim cannot map this directive (in upstream w) onto a routing map'],
    ['broken.yaml', 'rules: [\npools: {}\n', 'routing file test-output/routing/broken.yaml is not valid YAML: '],
    ['broken.json', '{"rules": [}', 'routing file test-output/routing/broken.json is not valid JSON: '],
    ['bad-pool.yaml', 'rules: []\npools:\n  p: { balancer: hash, upstreams: [reader1], hash: { key: $http_x, consistent: false } }\n', 'routing file test-output/routing/bad-pool.yaml: `pools.p.hash` must be { key, consistent: boolean }'],
  ])('%s', async (name, content, message) => {
    writeFileSync(`${out}${name}`, content);
    const run = await uiasim('check', '--strategy', 'sql', '--routing', `test-output/routing/${name}`);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(message);
  });
});
