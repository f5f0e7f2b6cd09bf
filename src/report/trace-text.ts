import type { TraceEvent } from '../trace.js';

/** One line per trace event, every field shown, for golden files and debugging. */
export function traceToText(events: readonly TraceEvent[], nodeNames: readonly string[]): string {
  const name = (id: number): string => (id < 0 ? '-' : (nodeNames[id] ?? `#${id}`));
  const lines = events.map((e) => {
    const t = `${e.atMs}`.padStart(8);
    switch (e.kind) {
      case 'deliver':
        return `${t} deliver  #${e.msgId} ${e.msgKind} ${name(e.from)} -> ${name(e.to)}`;
      case 'drop':
        return `${t} drop     #${e.msgId} (${e.reason})`;
      case 'crash':
      case 'restart':
        return `${t} ${e.kind.padEnd(8)} ${name(e.node)} incarnation ${e.incarnation}`;
      case 'observe':
        return `${t} ${e.phase.padEnd(8)} #${e.msgId} actor ${e.actor} status ${e.status} served-by ${name(e.servedBy)} key '${e.key}' detail '${e.detail}' tags [${e.tags.join(', ')}]`;
      case 'fact':
        return `${t} fact     ${name(e.node)} ${e.name} key '${e.key}' detail '${e.detail}' tags [${e.tags.join(', ')}]`;
      default: {
        const unreachable: never = e;
        throw new Error(`trace text: unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  });
  return lines.join('\n') + '\n';
}
