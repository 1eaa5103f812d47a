/** Union-find over node names: nodes joined by an edge or a shared store end up in one sub-topology. */
export class QuickUnion {
  readonly #parent = new Map<string, string>();

  add(id: string): void {
    if (!this.#parent.has(id)) this.#parent.set(id, id);
  }

  root(id: string): string {
    let current: string = id;
    let parent: string | undefined = this.#parent.get(current);
    if (parent === undefined) throw new Error(`unknown id: ${id}`);
    while (parent !== current) {
      const grand: string = this.#parent.get(parent) ?? parent;
      this.#parent.set(current, grand); // path halving
      current = parent;
      parent = grand;
    }
    return current;
  }

  unite(id: string, ...others: ReadonlyArray<string>): void {
    for (const other of others) {
      const a = this.root(id);
      const b = this.root(other);
      if (a !== b) this.#parent.set(b, a);
    }
  }
}
