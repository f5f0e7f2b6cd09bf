import { describe, expect, it } from 'vitest';
import { PrefixTree } from '../../src/explore/prefix-tree.js';

describe('PrefixTree: breadth-first prefixes as parent links', () => {
  it('spells out each node as its parent prefix plus its option', () => {
    const tree = new PrefixTree();
    expect(tree.prefix(0)).toEqual([]);
    const a = tree.add(0, 2);
    const b = tree.add(a, 0);
    const c = tree.add(a, 5);
    const d = tree.add(c, 1);
    expect([tree.prefix(a), tree.prefix(b), tree.prefix(c), tree.prefix(d)]).toEqual([[2], [2, 0], [2, 5], [2, 5, 1]]);
    expect(tree.size).toBe(5);
  });

  it('grows past its first arrays and keeps every node', () => {
    const tree = new PrefixTree();
    // A comb 3000 deep, each node with a sibling: 6000 nodes, past the first 1024.
    let tip = 0;
    for (let depth = 0; depth < 3000; depth++) {
      tree.add(tip, 1);
      tip = tree.add(tip, depth % 7);
    }
    expect(tree.size).toBe(6001);
    const path = tree.prefix(tip);
    expect(path).toHaveLength(3000);
    expect(path.slice(0, 9)).toEqual([0, 1, 2, 3, 4, 5, 6, 0, 1]);
    expect(tree.prefix(tip - 1)).toEqual([...path.slice(0, 2999), 1]);
  });

  it('refuses a node it does not have', () => {
    const tree = new PrefixTree();
    expect(() => tree.add(1, 0)).toThrow('explore: prefix node 1 does not exist');
    expect(() => tree.prefix(-1)).toThrow('explore: prefix node -1 does not exist');
  });
});
