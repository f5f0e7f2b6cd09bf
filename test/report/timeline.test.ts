import { describe, expect, it } from 'vitest';
import { renderTimeline, wrapParagraph } from '../../src/report/timeline.js';
import { formatDuration, formatMs } from '../../src/report/trace-view.js';
import { view } from './view-fixture.js';

describe('renderTimeline', () => {
  const lines = renderTimeline(view());
  const text = lines.join('\n');

  it('has a header of the five columns, then one line per shown event', () => {
    expect(lines[0]).toMatch(/^\s+time\s+actor\s+event\s+session\s+completed$/);
    // 20 events less 4 client hops (folded into their send and receive lines) and 1 timer;
    // plus 2 partition notes and 1 pause.
    expect(lines.length).toBe(1 + 15 + 2 + 1);
  });

  it('aligns the columns: every event line has its actor at the same offset', () => {
    const offsets = lines.slice(1).filter((l) => /ms|min|d /.test(l.slice(0, 16))).map((l) => l.search(/app A|router|reader1|db|main|network/));
    expect(new Set(offsets).size).toBe(1);
  });

  it('names actors for people and folds the client hops into send and receive lines', () => {
    expect(text).toMatch(/0 ms\s+app A\s+sends POST \/register \(no session\)/);
    expect(text).toMatch(/2 ms\s+router\s+passes the request on to reader1/);
    expect(text).toMatch(/3 ms\s+reader1\s+queries db/);
    expect(text).toMatch(/4 ms\s+db\s+answers reader1/);
    expect(text).toMatch(/5 ms\s+reader1\s+answers router/);
    expect(text).toMatch(/6 ms\s+app A\s+gets 401 from reader1\s+S1\s+\[m\.login\.terms\]/);
    expect(text).not.toMatch(/app A\s+sends a request to router/);
    expect(text).not.toMatch(/timer/);
  });

  it('shows crashes, restarts, lost messages, partitions and long pauses as lines', () => {
    expect(text).toMatch(/7 ms\s+reader1\s+CRASHES/);
    expect(text).toMatch(/1007 ms\s+reader1\s+restarts \(incarnation 2\)/);
    expect(text).toMatch(/network\s+loses that request: the fault plan loses it/);
    expect(text).toMatch(/network\s+loses a message \(no\. 77\): its target is down/);
    expect(text).toMatch(/20 ms\s+network\s+PARTITION: reader1 and db are cut off until 900 ms/);
    expect(text).toMatch(/900 ms\s+network\s+partition healed/);
    expect(text).toMatch(/\.\.\. 2 d 1 min pass, longer than the 2 d a session may live \.\.\./);
    expect(text).toMatch(/2 d 00:01:40\.000\s+app A\s+sends POST/);
  });

  it('marks the first violating event, and only it', () => {
    const marked = lines.filter((l) => l.includes('<-- progress lost'));
    expect(marked).toEqual([expect.stringMatching(/gets 401 from main\s+S1\s+\[\]\s+<-- progress lost$/)]);
    expect(renderTimeline(view({ violationIndex: null })).join('\n')).not.toContain('<--');
  });
});

describe('formatMs and wrapParagraph', () => {
  it('formats points in virtual time exactly, durations coarsely', () => {
    expect([0, 9999, 12_500, 125_010, 3_725_001, 172_800_000, 172_900_004].map(formatMs)).toEqual(['0 ms', '9999 ms', '12.500 s', '00:02:05.010', '01:02:05.001', '2 d 00:00:00.000', '2 d 00:01:40.004']);
    expect([500, 125_000, 3_725_000, 172_800_000, 259_260_000].map(formatDuration)).toEqual(['500 ms', '2 min 5 s', '1 h 2 min', '2 d', '3 d 1 min']);
  });

  it('wraps at the width without splitting words', () => {
    const lines = wrapParagraph('Why: ' + 'word '.repeat(50), 40);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines.join(' ')).toBe(('Why: ' + 'word '.repeat(50)).trim());
  });
});
