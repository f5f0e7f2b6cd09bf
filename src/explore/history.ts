import { MESSAGE_KIND_CODES, type Message } from '../message.js';
import type { Sim } from '../sim.js';
import { fold, SEED_A, SEED_B, type Hash2 } from './hash.js';

/**
 * State fingerprints for exhaustive exploration, from histories rather than memory dumps.
 *
 * Every node of the simulation is deterministic: its state is a function of what it has
 * received (in order, and when), of its lifecycle (crashes, restarts) and of its own seeded
 * streams, which are derived from its name and incarnation, not from anything shared. So the
 * canonical hash of a node's state can be the hash of that input history; it needs no
 * `fingerprint()` from each store, cache or plug-in (a user's store is covered as it is), and it
 * never merges two states that differ. What it does not see is two histories that happen to
 * leave equal memory: those stay two states (less pruning, never a wrong one).
 *
 * A message is named by its causal identity, never by its global id (which depends on the
 * interleaving of everything else): who sent it, the sender's history when it did, the how-many-th
 * message of the sender it is, its kind, and for an answer the identity of what it answers. Two
 * interleavings that bring every node to the same history give equal fingerprints.
 *
 * The app and the browser of one client are two nodes over one client object: they share one
 * history (`owners`), so the order in which the two of them saw things counts.
 */
export class History {
  /** Node id -> the id whose history it writes (itself, or its client's app). */
  private owners: number[] = [];
  private readonly histA: number[] = [];
  private readonly histB: number[] = [];
  private readonly sentCount: number[] = [];
  private readonly lastUp: boolean[] = [];
  private readonly lastIncarnation: number[] = [];
  /** Message id -> causal identity (two lanes); absent for a message never named. Arrays
   * indexed by id (ids are dense from 1, Sim.nextMessageId) of small integers (hash.ts): two
   * Maps here were 8% of an exploration's time in `sent`, and typed arrays of a useful size are
   * allocated outside V8's heap, at a cost per run in the collector. */
  private readonly idA: number[] = [];
  private readonly idB: number[] = [];
  /** The responses the explorer lost, in order. */
  private lostA = SEED_A;
  private lostB = SEED_B;

  constructor(private readonly sim: Sim) {}

  /** Nodes that share one state object (a client's app and browser). */
  setOwners(owners: readonly number[]): void {
    this.owners = [...owners];
  }

  /** The node whose state `node` shares (a browser's app), or itself. */
  owner(node: number): number {
    return this.owners[node] ?? node;
  }

  private lane(hist: number[], node: number, seed: number): number {
    return hist[node] ?? seed;
  }

  /** Names a message when it is scheduled. */
  sent(message: Message): void {
    const from = this.owner(message.from);
    this.syncLifecycle(from);
    const count = (this.sentCount[from] ?? 0) + 1;
    this.sentCount[from] = count;
    const code = MESSAGE_KIND_CODES[message.kind];
    let a = fold(fold(fold(this.lane(this.histA, from, SEED_A), code), count), from);
    let b = fold(fold(fold(this.lane(this.histB, from, SEED_B), count), code), from);
    if (message.replyTo >= 0) {
      a = fold(a, this.identityA(message.replyTo));
      b = fold(b, this.identityB(message.replyTo));
    }
    // When it is due matters for timers (relative to when it was set), and which incarnation of
    // its target it is meant for: a command on a pooled connection opened before a restart of
    // its target is reset, the same command sent after it is answered (src/connection-pool.ts).
    const delay = message.dueMs - this.sim.nowMs;
    this.name(message.id, fold(fold(a, delay), message.toIncarnation), fold(fold(b, delay), message.toIncarnation));
  }

  private identityA(id: number): number {
    return this.idA[id] ?? 0;
  }

  private identityB(id: number): number {
    return this.idB[id] ?? 0;
  }

  private name(id: number, a: number, b: number): void {
    this.idA[id] = a;
    this.idB[id] = b;
  }

  /** A message is about to be delivered (or refused) to its target. */
  delivering(message: Message): void {
    const target = this.sim.nodes[message.to];
    if (target === undefined) return;
    const owner = this.owner(message.to);
    this.syncLifecycle(owner);
    // A down or restarted target refuses it: nothing of it enters the target's history (the
    // reset the sender gets is named after it).
    if (!target.up || (message.toIncarnation !== -1 && message.toIncarnation !== target.incarnation)) return;
    this.fold(owner, this.identityA(message.id), this.identityB(message.id));
  }

  /** A crash the explorer placed: the injector's history records which. */
  injected(message: Message, what: number, node: number): void {
    const owner = this.owner(message.to);
    this.fold(owner, fold(what, node), fold(node, what));
    this.name(message.id, fold(what, node), fold(node, what));
  }

  /** A response the explorer lost: the injector's history records which. */
  lost(message: Message, what: number): void {
    const now = this.sim.nowMs;
    this.lostA = fold(fold(this.lostA, fold(what, this.identityA(message.id))), now);
    this.lostB = fold(fold(this.lostB, fold(what, this.identityB(message.id))), now);
  }

  private fold(owner: number, a: number, b: number): void {
    const now = this.sim.nowMs;
    this.histA[owner] = fold(fold(this.lane(this.histA, owner, SEED_A), a), now);
    this.histB[owner] = fold(fold(this.lane(this.histB, owner, SEED_B), b), now);
  }

  /** Crashes and restarts change a process without a message to it: fold them in when seen. */
  private syncLifecycle(node: number): void {
    const n = this.sim.nodes[node];
    if (n === undefined) return;
    if (this.lastUp[node] !== n.up || this.lastIncarnation[node] !== n.incarnation) {
      if (this.lastUp[node] !== undefined) this.fold(node, n.up ? 1 : 2, n.incarnation);
      this.lastUp[node] = n.up;
      this.lastIncarnation[node] = n.incarnation;
    }
  }

  /** A stable name for a queued message (sleep sets carry it from state to state). */
  identityKey(message: Message): string {
    return `${this.identityA(message.id)}:${this.identityB(message.id)}`;
  }

  /**
   * The state's canonical hash: now, every node's history, up state and incarnation; the
   * messages in flight as a multiset of identities (their order in the queue is not state); the
   * timers by identity and due time relative to now; the fault budget spent.
   */
  fingerprint(flights: readonly Message[], timed: readonly Message[], crashesUsed: number, dropsUsed: number): string {
    const now = this.sim.nowMs;
    const h: Hash2 = { a: fold(SEED_A, now), b: fold(SEED_B, now) };
    const nodes = this.sim.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node === undefined) continue;
      this.syncLifecycle(i);
      h.a = fold(fold(h.a, this.histA[i] ?? SEED_A), node.up ? node.incarnation : -node.incarnation);
      h.b = fold(fold(h.b, this.histB[i] ?? SEED_B), node.up ? node.incarnation : -node.incarnation);
    }
    h.a = fold(fold(fold(h.a, this.lostA), crashesUsed), dropsUsed);
    h.b = fold(fold(fold(h.b, this.lostB), dropsUsed), crashesUsed);
    let sumA = 0;
    let sumB = 0;
    for (const m of flights) {
      sumA = (sumA + this.identityA(m.id)) | 0;
      sumB = (sumB + this.identityB(m.id)) | 0;
    }
    for (const m of timed) {
      sumA = (sumA + fold(this.identityA(m.id), m.dueMs - now)) | 0;
      sumB = (sumB + fold(this.identityB(m.id), m.dueMs - now)) | 0;
    }
    h.a = fold(h.a, sumA);
    h.b = fold(h.b, sumB);
    return h.a.toString(36) + '.' + h.b.toString(36);
  }
}
