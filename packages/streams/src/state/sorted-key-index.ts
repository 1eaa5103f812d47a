/**
 * An ordered set of string keys as a B+tree with linked leaves: O(log n) insert, delete and seek, and cursors that
 * walk leaves in either direction. In-memory stores and the record cache keep their key order here (keys are the
 * latin1 strings of `key-bytes.ts`, so string order is byte order). Cursors stay valid while the set changes: each
 * remembers the last key it returned and re-seeks after it when the tree's structure changed.
 */

const MAX_KEYS = 64;
const MIN_LEAF_KEYS = MAX_KEYS / 4;

interface Leaf {
  readonly leaf: true;
  keys: string[];
  next: Leaf | null;
  prev: Leaf | null;
}

interface Branch {
  readonly leaf: false;
  /** `keys[i]` is the smallest key routed to `children[i + 1]`. */
  keys: string[];
  children: TreeNode[];
}

type TreeNode = Leaf | Branch;

/** First index whose key is >= `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > `key`. */
function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function newLeaf(keys: string[]): Leaf {
  return { leaf: true, keys, next: null, prev: null };
}

/** Bounds of a cursor; `null` means unbounded on that side. */
export interface KeyRange {
  readonly from: string | null;
  readonly fromInclusive: boolean;
  readonly to: string | null;
  readonly toInclusive: boolean;
}

/** An ordered set of strings. */
export class SortedKeyIndex {
  #root: TreeNode = newLeaf([]);
  #size = 0;
  /** Bumped whenever leaves split, merge or change, so cursors know to re-seek. */
  #version = 0;

  get size(): number {
    return this.#size;
  }

  /** @internal Changes whenever positions inside the tree may have moved. */
  get version(): number {
    return this.#version;
  }

  clear(): void {
    this.#root = newLeaf([]);
    this.#size = 0;
    this.#version++;
  }

  has(key: string): boolean {
    const leaf = this.leafFor(key);
    const i = lowerBound(leaf.keys, key);
    return i < leaf.keys.length && leaf.keys[i] === key;
  }

  /** Adds `key`; returns false when it was already present. */
  insert(key: string): boolean {
    const split = this.#insert(this.#root, key);
    if (split === false) return false;
    this.#size++;
    this.#version++;
    if (split !== null) {
      this.#root = { leaf: false, keys: [split.separator], children: [this.#root, split.right] };
    }
    return true;
  }

  /** Removes `key`; returns false when it was absent. */
  delete(key: string): boolean {
    if (!this.#delete(this.#root, key)) return false;
    this.#size--;
    this.#version++;
    while (!this.#root.leaf && this.#root.children.length === 1) this.#root = this.#root.children[0]!;
    if (!this.#root.leaf && this.#root.children.length === 0) this.#root = newLeaf([]);
    return true;
  }

  /** A cursor over the keys in `range`, ascending or (with `reverse`) descending. */
  cursor(range: KeyRange, reverse: boolean): KeyCursor {
    return new KeyCursor(this, range, reverse);
  }

  /** @internal The leaf where `key` is or would be. */
  leafFor(key: string): Leaf {
    let node = this.#root;
    while (!node.leaf) node = node.children[upperBound(node.keys, key)]!;
    return node;
  }

  /** @internal The first or last leaf. */
  edgeLeaf(last: boolean): Leaf {
    let node = this.#root;
    while (!node.leaf) node = node.children[last ? node.children.length - 1 : 0]!;
    return node;
  }

  /** Returns false if present, null if inserted without split, or the split to insert into the parent. */
  #insert(node: TreeNode, key: string): false | null | { separator: string; right: TreeNode } {
    if (node.leaf) {
      const keys = node.keys;
      const i = lowerBound(keys, key);
      if (i < keys.length && keys[i] === key) return false;
      keys.splice(i, 0, key);
      if (keys.length <= MAX_KEYS) return null;
      const right = newLeaf(keys.splice(keys.length >>> 1));
      right.next = node.next;
      right.prev = node;
      if (node.next !== null) node.next.prev = right;
      node.next = right;
      return { separator: right.keys[0]!, right };
    }
    const ci = upperBound(node.keys, key);
    const split = this.#insert(node.children[ci]!, key);
    if (split === false || split === null) return split;
    node.keys.splice(ci, 0, split.separator);
    node.children.splice(ci + 1, 0, split.right);
    if (node.keys.length <= MAX_KEYS) return null;
    const mid = node.keys.length >>> 1;
    const separator = node.keys[mid]!;
    const right: Branch = { leaf: false, keys: node.keys.splice(mid + 1), children: node.children.splice(mid + 1) };
    node.keys.length = mid;
    return { separator, right };
  }

  #delete(node: TreeNode, key: string): boolean {
    if (node.leaf) {
      const i = lowerBound(node.keys, key);
      if (i >= node.keys.length || node.keys[i] !== key) return false;
      node.keys.splice(i, 1);
      return true;
    }
    const ci = upperBound(node.keys, key);
    const child = node.children[ci]!;
    if (!this.#delete(child, key)) return false;
    if (child.leaf) {
      if (child.keys.length === 0) {
        this.#removeChild(node, ci);
        if (child.prev !== null) child.prev.next = child.next;
        if (child.next !== null) child.next.prev = child.prev;
      } else if (child.keys.length < MIN_LEAF_KEYS && ci + 1 < node.children.length) {
        const right = node.children[ci + 1] as Leaf;
        if (child.keys.length + right.keys.length <= MAX_KEYS) {
          child.keys.push(...right.keys);
          child.next = right.next;
          if (right.next !== null) right.next.prev = child;
          this.#removeChild(node, ci + 1);
        }
      }
    } else if (child.children.length === 0) {
      this.#removeChild(node, ci);
    }
    return true;
  }

  #removeChild(node: Branch, ci: number): void {
    node.children.splice(ci, 1);
    node.keys.splice(ci === 0 ? 0 : ci - 1, 1);
  }
}

/** Walks the keys of a range; safe while the index changes (it re-seeks after the last key returned). */
export class KeyCursor {
  readonly #index: SortedKeyIndex;
  readonly #range: KeyRange;
  readonly #reverse: boolean;
  #leaf: Leaf | null = null;
  #pos = 0;
  #version = -1;
  #last: string | null = null;
  #done = false;

  constructor(index: SortedKeyIndex, range: KeyRange, reverse: boolean) {
    this.#index = index;
    this.#range = range;
    this.#reverse = reverse;
  }

  /** The next key without advancing, or `undefined` at the end. */
  peek(): string | undefined {
    if (this.#done) return undefined;
    if (this.#version !== this.#index.version) this.#seek();
    while (this.#leaf !== null) {
      const keys = this.#leaf.keys;
      if (this.#pos >= 0 && this.#pos < keys.length) {
        const key = keys[this.#pos]!;
        if (this.#inRange(key)) return key;
        this.#done = true;
        return undefined;
      }
      // step to the neighbouring leaf
      if (this.#reverse) {
        this.#leaf = this.#leaf.prev;
        this.#pos = this.#leaf === null ? 0 : this.#leaf.keys.length - 1;
      } else {
        this.#leaf = this.#leaf.next;
        this.#pos = 0;
      }
    }
    this.#done = true;
    return undefined;
  }

  /** The next key, or `undefined` at the end. */
  next(): string | undefined {
    const key = this.peek();
    if (key !== undefined) {
      this.#last = key;
      this.#pos += this.#reverse ? -1 : 1;
    }
    return key;
  }

  #inRange(key: string): boolean {
    const r = this.#range;
    if (this.#reverse) {
      return r.from === null || (r.fromInclusive ? key >= r.from : key > r.from);
    }
    return r.to === null || (r.toInclusive ? key <= r.to : key < r.to);
  }

  #seek(): void {
    this.#version = this.#index.version;
    const r = this.#range;
    // resume strictly after the last key returned, or start at the range's near bound
    const start = this.#last ?? (this.#reverse ? r.to : r.from);
    const inclusive = this.#last === null && (this.#reverse ? r.toInclusive : r.fromInclusive);
    if (start === null) {
      this.#leaf = this.#index.edgeLeaf(this.#reverse);
      this.#pos = this.#reverse ? this.#leaf.keys.length - 1 : 0;
      return;
    }
    const leaf = this.#index.leafFor(start);
    this.#leaf = leaf;
    if (this.#reverse) {
      this.#pos = (inclusive ? upperBound(leaf.keys, start) : lowerBound(leaf.keys, start)) - 1;
      if (this.#pos < 0) {
        this.#leaf = leaf.prev;
        this.#pos = this.#leaf === null ? 0 : this.#leaf.keys.length - 1;
      }
    } else {
      this.#pos = inclusive ? lowerBound(leaf.keys, start) : upperBound(leaf.keys, start);
    }
  }
}
