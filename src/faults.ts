/**
 * A fault plan is data, so it can be generated, shrunk part by part and printed. Nodes are
 * named; drops are keyed by stable causal IDs ("the 2nd response to client 1's app"), so
 * removing one fault or one request does not change what the others mean.
 */
export interface CrashFault {
  readonly kind: 'crash';
  readonly node: string;
  /** When it crashes: virtual time, or, with `after`, the delay after that causal event. */
  readonly atMs: number;
  /** Anchors the crash to "the nth response delivered to this client-side actor", so it keeps
   * its place in the story when shrinking moves everything else in time. */
  readonly after?: { readonly actor: string; readonly nthResponse: number };
  /** How long the process stays down before its restart. */
  readonly downMs: number;
}

export interface PartitionFault {
  readonly kind: 'partition';
  readonly a: string;
  readonly b: string;
  readonly fromMs: number;
  readonly untilMs: number;
}

export interface DropFault {
  readonly kind: 'drop';
  /** The client-side actor whose traffic is hit. */
  readonly actor: string;
  /** 'request': the nth request it sends; 'response': the nth response sent to it. */
  readonly direction: 'request' | 'response';
  /** 1-based. */
  readonly nth: number;
}

/** A client-side actor moves to another network: from then on its requests carry `ip` as
 * their source address (a phone leaving Wi-Fi, a browser on another connection). */
export interface AddressChangeFault {
  readonly kind: 'ip-change';
  readonly actor: string;
  /** When: virtual time, or with `after` the delay after that causal event. */
  readonly atMs: number;
  readonly after?: { readonly actor: string; readonly nthResponse: number };
  readonly ip: string;
}

export type Fault = CrashFault | PartitionFault | DropFault | AddressChangeFault;

export interface FaultPlan {
  readonly faults: readonly Fault[];
}

export const NO_FAULTS: FaultPlan = { faults: [] };

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'crash':
      return fault.after === undefined
        ? `${fault.node} crashes at ${fault.atMs} ms and restarts ${fault.downMs} ms later`
        : `${fault.node} crashes ${fault.atMs} ms after the ${ordinal(fault.after.nthResponse)} response to ${fault.after.actor} and restarts ${fault.downMs} ms later`;
    case 'partition':
      return `${fault.a} and ${fault.b} are cut off from ${fault.fromMs} to ${fault.untilMs} ms`;
    case 'drop':
      return `the ${ordinal(fault.nth)} ${fault.direction} ${fault.direction === 'request' ? 'from' : 'to'} ${fault.actor} is lost`;
    case 'ip-change':
      return fault.after === undefined
        ? `${fault.actor} moves to address ${fault.ip} at ${fault.atMs} ms`
        : `${fault.actor} moves to address ${fault.ip} ${fault.atMs} ms after the ${ordinal(fault.after.nthResponse)} response to ${fault.after.actor}`;
    default: {
      const unreachable: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
    }
  }
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
