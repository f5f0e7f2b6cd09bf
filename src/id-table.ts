/**
 * An insertion-ordered table from message ids to values, for the few requests, commands and
 * timers a node waits on at once (a process's running tasks, the router's forwarded requests, a
 * client's requests in flight). Every message adds an entry and removes it again: a Map under
 * that churn keeps reallocating its hash table (it fills with deleted entries, then shrinks when
 * emptied); two parallel arrays scanned linearly allocate nothing once grown, and at a handful of
 * entries a scan is faster than a hash. Iteration order is insertion order, as a Map's.
 */
export class IdTable<V> {
  private readonly ids: number[] = [];
  private readonly items: V[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** Adds `id` (or replaces its value, keeping its place). */
  set(id: number, value: V): void {
    const at = this.ids.indexOf(id);
    if (at >= 0) {
      this.items[at] = value;
      return;
    }
    this.ids.push(id);
    this.items.push(value);
  }

  get(id: number): V | undefined {
    const at = this.ids.indexOf(id);
    return at < 0 ? undefined : this.items[at];
  }

  /** Removes `id` and returns its value; undefined when absent. */
  take(id: number): V | undefined {
    const ids = this.ids;
    const at = ids.indexOf(id);
    if (at < 0) return undefined;
    const items = this.items;
    const value = items[at] as V;
    const last = ids.length - 1;
    for (let i = at; i < last; i++) {
      ids[i] = ids[i + 1] as number;
      items[i] = items[i + 1] as V;
    }
    ids.pop();
    items.pop();
    return value;
  }

  /** The values in insertion order (a copy), then empties the table. */
  drain(): V[] {
    const values = this.items.slice();
    this.ids.length = 0;
    this.items.length = 0;
    return values;
  }
}
