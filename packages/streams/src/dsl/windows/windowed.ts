/** `Windowed<K>`: the key of a windowed aggregation result — the record key and its window. Printed `[key@start/end]`. */
import type { Window } from './window';

export class Windowed<K> {
  readonly #key: K;
  readonly #window: Window;

  constructor(key: K, window: Window) {
    this.#key = key;
    this.#window = window;
  }

  key(): K {
    return this.#key;
  }

  window(): Window {
    return this.#window;
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Windowed)) return false;
    const k = other.key() as unknown;
    const same = k === this.#key || (k !== null && typeof k === 'object' && typeof (k as { equals?: unknown }).equals === 'function' && (k as { equals(o: unknown): boolean }).equals(this.#key));
    return same && this.#window.equals(other.window());
  }

  toString(): string {
    return `[${String(this.#key)}@${this.#window.start()}/${this.#window.end()}]`;
  }
}
