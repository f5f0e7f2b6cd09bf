/**
 * The prefixes of a breadth-first search (src/explore/breadth-first.ts), kept as a tree of parent
 * links: a prefix is a node, and a node is its parent's prefix plus one option, 8 bytes in two
 * typed arrays; a level's frontier is a list of node numbers. A prefix kept as an array of its
 * decisions costs about 8 bytes a decision plus the array's own (measured: a scope at depth 36
 * grew to 695 MB in 60 s, most of it such arrays). A prefix is spelled out only to be run.
 */
export class PrefixTree {
  /** Node 0 is the root, the empty prefix; its parent is -1. */
  private parents = new Int32Array(1024);
  private options = new Int32Array(1024);
  private count = 1;

  constructor() {
    this.parents[0] = -1;
  }

  /** The node of `parent`'s prefix followed by `option`. */
  add(parent: number, option: number): number {
    if (parent < 0 || parent >= this.count) throw new Error(`explore: prefix node ${parent} does not exist`);
    if (this.count === this.parents.length) {
      this.parents = grown(this.parents);
      this.options = grown(this.options);
    }
    const node = this.count++;
    this.parents[node] = parent;
    this.options[node] = option;
    return node;
  }

  /** The decisions of `node`'s prefix, root first. */
  prefix(node: number): number[] {
    if (node < 0 || node >= this.count) throw new Error(`explore: prefix node ${node} does not exist`);
    const out: number[] = [];
    for (let at = node; at > 0; at = this.parents[at] as number) out.push(this.options[at] as number);
    return out.reverse();
  }

  /** Nodes made so far, the root included. */
  get size(): number {
    return this.count;
  }
}

function grown(list: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(list.length * 2);
  bigger.set(list);
  return bigger;
}
