import { describe, expect, it } from 'vitest';
import { renderMermaid } from '../../src/report/mermaid.js';
import { view } from './view-fixture.js';

describe('renderMermaid', () => {
  const text = renderMermaid(view());
  const lines = text.trimEnd().split('\n');

  it('declares the people as actors and every node as a participant, in order', () => {
    expect(lines.slice(0, 7)).toEqual([
      'sequenceDiagram',
      '  actor app_A as app A',
      '  actor browser_A as browser A',
      '  participant router as router',
      '  participant main as main',
      '  participant reader1 as reader1',
      '  participant db as db',
    ]);
  });

  it("labels a client's request and response with what they carry; inner hops with their kind", () => {
    expect(text).toContain('  app_A->>router: 0 ms POST /register (no session)\n');
    expect(text).toContain('  router->>reader1: request\n');
    expect(text).toContain('  db-->>reader1: result\n');
    expect(text).toContain('  router-->>app_A: 6 ms 401 from reader1 session S1 completed [m.login.terms]\n');
    expect(text).not.toContain('timer');
  });

  it('shows restarts, partitions, lost messages and pauses as notes or crossed arrows', () => {
    expect(text).toContain('  Note over reader1: 7 ms CRASHES\n');
    expect(text).toContain('  Note over reader1: 1007 ms restarts, incarnation 2\n');
    expect(text).toContain('  app_A-xrouter: 9 ms POST /register auth {session} is lost, the fault plan loses it\n');
    expect(text).toContain('  Note over reader1,db: 20 ms PARTITION: reader1 and db are cut off until 900 ms\n');
    expect(text).toContain('  Note over app_A,db: 2 d 1 min pass, longer than the 2 d a session may live\n');
  });

  it('puts the losing response, and only it, in a red band', () => {
    const start = lines.indexOf('  rect rgb(255, 205, 205)');
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1, start + 4)).toEqual(['    router-->>app_A: 2 d 00:01:40.004 401 from main session S1 completed []', '    Note over app_A: PROGRESS LOST', '  end']);
    expect(lines.filter((l) => l.includes('rect')).length).toBe(1);
  });

  it('keeps to a conservative syntax: no # ; < > in texts, ids without spaces or keywords', () => {
    const odd = renderMermaid(view({ participants: [{ name: 'end', role: 'process' }, { name: 'app A', role: 'client' }, { name: 'router', role: 'router' }], describe: () => ({ what: 'a <b>#1; x</b>', session: null, completed: null }) }));
    expect(odd).toContain('participant n_end as end');
    for (const line of odd.split('\n').filter((l) => l.includes(': '))) expect(line.slice(line.indexOf(': '))).not.toMatch(/[#;<>]/);
  });
});
