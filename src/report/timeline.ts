import type { MessageKind } from '../message.js';
import type { TraceEvent } from '../trace.js';
import { alignColumns } from './table.js';
import { dropReasonText, factWords, formatMs, pauseText, type TraceView } from './trace-view.js';

/**
 * `replay --format text`: the run as a timeline a newcomer can read without the code, one event
 * per line in aligned columns (virtual time, actor, event, session, completed). A client's
 * request and the response it gets are one line each; the hops in between (router, processes,
 * store) get a line of their own, so an interleaving is visible; timers are left out. Crashes,
 * restarts, lost messages, partitions and long pauses are lines too. The first violating event
 * is marked.
 */
export function renderTimeline(view: TraceView): string[] {
  const drawn = new Set(view.participants.map((p) => p.name));
  const clients = new Set(view.participants.filter((p) => p.role === 'client').map((p) => p.name));
  const name = (id: number): string => view.nodeNames[id] ?? `node ${id}`;
  const sentIds = new Set<number>();
  for (const e of view.events) if (e.kind === 'observe' && e.phase === 'sent') sentIds.add(e.msgId);

  const rows: { atMs: number; cells: string[] }[] = [];
  const notes = [...view.notes].sort((a, b) => a.atMs - b.atMs);
  let nextNote = 0;
  let lastMs = 0;
  const push = (atMs: number, actor: string, event: string, session = '', completed = ''): void => {
    const pause = pauseText(view, lastMs, atMs);
    if (pause !== null) rows.push({ atMs: lastMs, cells: ['', '', `... ${pause} ...`, '', ''] });
    lastMs = atMs;
    rows.push({ atMs, cells: [formatMs(atMs), actor, event, session, completed] });
  };
  const notesUntil = (atMs: number): void => {
    for (; nextNote < notes.length && (notes[nextNote]?.atMs ?? Infinity) <= atMs; nextNote++) {
      const note = notes[nextNote];
      if (note !== undefined) push(note.atMs, 'network', note.text);
    }
  };

  view.events.forEach((e, index) => {
    notesUntil(e.atMs);
    const line = rowOf(e);
    if (line === null) return;
    const [actor, event, session, completed] = line;
    const mark = index === view.violationIndex ? `   <-- ${view.marker}` : '';
    push(e.atMs, actor, event, session ?? '', (completed ?? '') + mark);
  });
  notesUntil(Infinity);

  function rowOf(e: TraceEvent): [string, string, string?, string?] | null {
    switch (e.kind) {
      case 'deliver': {
        const from = name(e.from);
        const to = name(e.to);
        if (e.msgKind === 'timer' || !drawn.has(from) || !drawn.has(to)) return null;
        // A client's own request and the response it receives are the observe lines.
        if (clients.has(from) && sentIds.has(e.msgId)) return null;
        if (clients.has(to) && e.msgKind === 'response') return null;
        return [from, hopWords(e.msgKind, from, to)];
      }
      case 'drop':
        return sentIds.has(e.msgId) ? ['network', `loses that request: ${dropReasonText(e.reason)}`] : ['network', `loses a message (no. ${e.msgId}): ${dropReasonText(e.reason)}`];
      case 'crash':
        return [name(e.node), 'CRASHES: in-flight work and volatile state are lost'];
      case 'restart':
        return [name(e.node), `restarts (incarnation ${e.incarnation})`];
      case 'observe': {
        const actor = view.actorNames[e.actor] ?? `actor ${e.actor}`;
        const d = view.describe(e);
        const completed = d.completed === null ? '' : `[${d.completed.join(', ')}]`;
        if (e.phase === 'sent') return [actor, `sends ${d.what}`, d.session ?? ''];
        const from = e.servedBy < 0 ? 'the router' : name(e.servedBy);
        return [actor, `gets ${d.what} from ${from}`, d.session ?? '', completed];
      }
      case 'fact':
        return drawn.has(name(e.node)) ? [name(e.node), factWords(e), e.key] : null;
      default: {
        const unreachable: never = e;
        throw new Error(`timeline: unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  const timeWidth = Math.max(4, ...rows.map((r) => (r.cells[0] ?? '').length));
  const table = [['time', 'actor', 'event', 'session', 'completed'], ...rows.map((r) => r.cells)].map((cells, i) =>
    // Times right-aligned so they line up by magnitude.
    cells.map((cell, column) => (column === 0 && i > 0 ? cell.padStart(timeWidth) : cell)),
  );
  return alignColumns(table, '  ');
}

/** A hop between two nodes, in words, as the sender's action. */
function hopWords(kind: Exclude<MessageKind, 'timer'>, from: string, to: string): string {
  switch (kind) {
    case 'request':
      return from === 'router' ? `passes the request on to ${to}` : `sends a request to ${to}`;
    case 'response':
      return `answers ${to}`;
    case 'command':
      return `queries ${to}`;
    case 'result':
      return `answers ${to}`;
    case 'reset':
      return `refuses ${to}'s connection (it is down)`;
    case 'notify':
      return `notifies ${to}`;
    default: {
      const unreachable: never = kind;
      throw new Error(`timeline: unknown hop ${String(unreachable)}`);
    }
  }
}

/** Wraps a paragraph at `width` columns (words are never split). */
export function wrapParagraph(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
