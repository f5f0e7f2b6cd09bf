import type { ObserveEvent, TraceEvent } from '../trace.js';
import { dropReasonText, factWords, formatMs, pauseText, type TraceView } from './trace-view.js';

/**
 * `replay --format mermaid`: the run as a Mermaid sequence diagram. Only a conservative subset
 * of the syntax (participant/actor with an alias, ->>, -->>, -x, Note over, rect ... end), and
 * message texts without the characters Mermaid treats specially (# ; < > and newlines), so
 * the text renders on GitHub as pasted. Clients' requests are labelled with what they send and
 * the responses they receive with what they get; restarts, lost messages, partitions and long
 * pauses are notes; the losing response sits in a red band.
 */
export function renderMermaid(view: TraceView): string {
  const ids = participantIds(view.participants.map((p) => p.name));
  const id = (nodeName: string): string => ids.get(nodeName) ?? safeId(nodeName);
  const name = (node: number): string => view.nodeNames[node] ?? `node ${node}`;
  const drawn = new Set(view.participants.map((p) => p.name));
  const clients = new Set(view.participants.filter((p) => p.role === 'client').map((p) => p.name));
  const everyone = view.participants.length > 1 ? `${id(view.participants[0]?.name ?? '')},${id(view.participants[view.participants.length - 1]?.name ?? '')}` : id(view.participants[0]?.name ?? 'router');
  const actorOf = (e: ObserveEvent): string => view.actorNames[e.actor] ?? `actor ${e.actor}`;

  const sent = new Map<number, ObserveEvent>();
  for (const e of view.events) if (e.kind === 'observe' && e.phase === 'sent') sent.set(e.msgId, e);
  const folded = new Set<number>();
  const lines: string[] = ['sequenceDiagram'];
  for (const p of view.participants) lines.push(`  ${p.role === 'client' ? 'actor' : 'participant'} ${id(p.name)} as ${text(p.name)}`);

  const notes = [...view.notes].sort((a, b) => a.atMs - b.atMs);
  let nextNote = 0;
  let lastMs = 0;
  const at = (atMs: number): void => {
    for (; nextNote < notes.length && (notes[nextNote]?.atMs ?? Infinity) <= atMs; nextNote++) {
      const note = notes[nextNote];
      if (note === undefined) continue;
      const over = note.over.filter((n) => drawn.has(n)).map(id);
      lines.push(`  Note over ${over.length === 0 ? everyone : over.slice(0, 2).join(',')}: ${formatMs(note.atMs)} ${text(note.text)}`);
    }
    const pause = pauseText(view, lastMs, atMs);
    if (pause !== null) lines.push(`  Note over ${everyone}: ${text(pause)}`);
    lastMs = atMs;
  };

  view.events.forEach((e, index) => {
    if (folded.has(index)) return;
    const line = lineOf(e, index);
    if (line === null) return;
    at(e.atMs);
    lines.push(...line.map((l) => `  ${l}`));
  });
  at(lastMs);
  for (; nextNote < notes.length; nextNote++) {
    const note = notes[nextNote];
    if (note !== undefined) lines.push(`  Note over ${everyone}: ${formatMs(note.atMs)} ${text(note.text)}`);
  }
  return lines.join('\n') + '\n';

  /** The received observation a response delivered to a client stands for (same time, same actor). */
  function answerAt(index: number, client: string): number | null {
    const atMs = view.events[index]?.atMs;
    for (let j = index + 1; j < view.events.length; j++) {
      const e = view.events[j] as TraceEvent;
      if (e.atMs !== atMs) return null;
      if (e.kind === 'observe' && e.phase === 'received' && actorOf(e) === client) return j;
    }
    return null;
  }

  function lineOf(e: TraceEvent, index: number): string[] | null {
    switch (e.kind) {
      case 'deliver': {
        const from = name(e.from);
        const to = name(e.to);
        if (e.msgKind === 'timer' || !drawn.has(from) || !drawn.has(to)) return null;
        const request = clients.has(from) ? sent.get(e.msgId) : undefined;
        if (request !== undefined) {
          const d = view.describe(request);
          return [`${id(from)}->>${id(to)}: ${formatMs(request.atMs)} ${text(d.what)}${d.session === null ? '' : ` session ${text(d.session)}`}`];
        }
        if (clients.has(to) && e.msgKind === 'response') {
          const answer = answerAt(index, to);
          if (answer !== null) {
            folded.add(answer);
            const observed = view.events[answer] as ObserveEvent;
            const d = view.describe(observed);
            const served = observed.servedBy < 0 ? 'the router' : name(observed.servedBy);
            const completed = d.completed === null ? '' : ` completed [${d.completed.join(', ')}]`;
            const session = d.session === null ? '' : ` session ${text(d.session)}`;
            const arrow = `${id(from)}-->>${id(to)}: ${formatMs(e.atMs)} ${text(d.what)} from ${text(served)}${session}${completed}`;
            if (answer !== view.violationIndex) return [arrow];
            return ['rect rgb(255, 205, 205)', `  ${arrow}`, `  Note over ${id(to)}: ${text(view.marker.toUpperCase())}`, 'end'];
          }
        }
        const dashed = e.msgKind === 'response' || e.msgKind === 'result' || e.msgKind === 'reset';
        return [`${id(from)}${dashed ? '-->>' : '->>'}${id(to)}: ${e.msgKind === 'reset' ? 'connection refused' : e.msgKind}`];
      }
      case 'drop': {
        const request = sent.get(e.msgId);
        if (request !== undefined && drawn.has(actorOf(request))) {
          return [`${id(actorOf(request))}-x${id('router')}: ${formatMs(e.atMs)} ${text(view.describe(request).what)} is lost, ${text(dropReasonText(e.reason))}`];
        }
        return [`Note over ${everyone}: ${formatMs(e.atMs)} a message is lost, ${text(dropReasonText(e.reason))}`];
      }
      case 'crash':
        return drawn.has(name(e.node)) ? [`Note over ${id(name(e.node))}: ${formatMs(e.atMs)} CRASHES`] : null;
      case 'restart':
        return drawn.has(name(e.node)) ? [`Note over ${id(name(e.node))}: ${formatMs(e.atMs)} restarts, incarnation ${e.incarnation}`] : null;
      case 'observe':
        // Drawn with the delivery it belongs to; one left here was answered by nobody we draw.
        if (e.phase === 'sent' || !drawn.has(actorOf(e))) return null;
        return [`Note over ${id(actorOf(e))}: ${formatMs(e.atMs)} gets ${text(view.describe(e).what)}`];
      case 'fact':
        return drawn.has(name(e.node)) ? [`Note over ${id(name(e.node))}: ${formatMs(e.atMs)} ${text(factWords(e))}`] : null;
      default: {
        const unreachable: never = e;
        throw new Error(`mermaid: unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

/** Words Mermaid's sequence grammar reserves; an id equal to one gets a suffix. */
const KEYWORDS = new Set(['end', 'loop', 'alt', 'else', 'opt', 'par', 'and', 'rect', 'note', 'participant', 'actor', 'box', 'critical', 'break', 'create', 'destroy', 'activate', 'deactivate', 'autonumber', 'title', 'links', 'link', 'over', 'as']);

function safeId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'node';
  return KEYWORDS.has(id.toLowerCase()) || /^[0-9]/.test(id) ? `n_${id}` : id;
}

function participantIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const n of names) {
    let candidate = safeId(n);
    for (let i = 2; used.has(candidate); i++) candidate = `${safeId(n)}_${i}`;
    used.add(candidate);
    ids.set(n, candidate);
  }
  return ids;
}

/** Message text without what Mermaid would read as syntax: entity codes (#), statement ends (;),
 * HTML (< >) and line breaks. */
function text(s: string): string {
  return s.replace(/#/g, 'no. ').replace(/;/g, ',').replace(/</g, '(').replace(/>/g, ')').replace(/[\r\n]+/g, ' ');
}
