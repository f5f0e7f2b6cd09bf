import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uiasim } from './run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** #7530: SAML keeps its outstanding requests in the memory of the process that redirected. */
const SAML_ONLY = ['--set', 'sso.samlEnabled=true', '--set', 'passwordConfig.enabled=false'];
const SSO_WORKER = ['--routing', 'examples/routing/synapse-sso-worker.nginx.conf'];
const DEACTIVATE = ['--strategy', 'sql', '--workload', 'deactivate', '--faults', 'steady', '--property', 'liveness', '--runs', '100'];

interface Report {
  verdict: string;
  switches?: Record<string, unknown>;
  violation?: { token: string; traceHash: string; steps: { request: string; servedBy: string; status: number }[] };
}

describe('--set: profile and config switches from the command line', () => {
  it('#7530 in one command: SAML with the SSO endpoints on their own worker, the callback lands there, the stage never completes', async () => {
    const run = await uiasim('check', ...DEACTIVATE, ...SSO_WORKER, ...SAML_ONLY, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.switches).toEqual({ 'sso.samlEnabled': true, 'passwordConfig.enabled': false });
    const callbacks = (report.violation?.steps ?? []).filter((s) => s.request.includes('sso callback'));
    expect(callbacks.length).toBeGreaterThan(0);
    for (const c of callbacks) expect([c.servedBy, c.status]).toEqual(['reader2', 400]);
    // The token carries the switches: a replay reproduces the run bit for bit...
    const replay = await uiasim('replay', report.violation?.token ?? '', '--json');
    expect(replay.stderr).toBe('');
    expect(JSON.parse(replay.stdout)).toMatchObject({ verdict: 'violated', traceHash: report.violation?.traceHash, switches: report.switches });
    // ...and the same case over OIDC (state in the callback, no per-process memory) finishes.
    const oidc = await uiasim('replay', report.violation?.token ?? '', '--set', 'sso.samlEnabled=false', '--json');
    expect(JSON.parse(oidc.stdout)).toMatchObject({ verdict: 'holds' });
  });

  it('the same switches on sql\'s own map (the callback to main, which redirected) hold', async () => {
    const run = await uiasim('check', ...DEACTIVATE, ...SAML_ONLY);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('set passwordConfig.enabled=false, sso.samlEnabled=true\n');
  });

  it('compare --set: every cell carries the switches, has no expectation, and its token replays them', async () => {
    const run = await uiasim('compare', '--strategies', 'sql', '--faults', 'steady', '--workload', 'deactivate', '--property', 'liveness', '--runs', '30', ...SAML_ONLY, ...SSO_WORKER, '--json');
    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout) as { switches: unknown; cells: { strategy: string; violations: number; expectation: unknown; token: string | null }[] };
    expect(body.switches).toEqual({ 'sso.samlEnabled': true, 'passwordConfig.enabled': false });
    expect(body.cells.map((c) => [c.strategy, c.violations > 0, c.expectation])).toEqual([
      ['sql', false, null],
      ['custom-routing', true, null],
    ]);
    const stuck = body.cells[1]?.token ?? '';
    expect(JSON.parse((await uiasim('replay', stuck, '--json')).stdout)).toMatchObject({ verdict: 'violated', switches: body.switches });
  });

  it.each([
    [['check', '--strategy', 'sql', '--set', 'sso.saml=true'], 'uiasim: unknown switch sso.saml (see `uiasim list switches`)'],
    [['check', '--strategy', 'sql', '--set', 'sso.samlEnabled=1'], 'uiasim: switch sso.samlEnabled takes true | false, not "1"'],
    [['compare', '--strategies', 'sql', '--set', 'expiry.kind=never'], 'uiasim: switch expiry.kind takes sliding | absolute, not "never"'],
    // M_UNRECOGNIZED's status was 400 or 404 in Synapse, never anything else (Profile.unrecognizedStatus).
    [['check', '--strategy', 'sql', '--set', 'unrecognizedStatus=401'], 'uiasim: switch unrecognizedStatus takes 400 | 404, not 401'],
    [['list', 'knobs'], 'uiasim: list takes nothing or `switches`, not knobs'],
  ])('%j exits 2 with one line', async (args, message) => {
    const run = await uiasim(...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${message}\n`);
  });

  it('`list switches` prints every switch --set takes', async () => {
    const run = await uiasim('list', 'switches');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^config +sso\.samlEnabled +true \| false +default false$/m);
    expect(run.stdout).toMatch(/^profile +unknownSession +fresh-session \| reject-400 +1\.8: fresh-session, 1\.12: fresh-session, 1\.13: reject-400, head: reject-400 \(uia §2\.2/m);
  });
});
