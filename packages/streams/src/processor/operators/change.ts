/** A KTable update as it flows between table processors: the new value and (when asked for) the old one. */
export class Change<V> {
  constructor(
    readonly newValue: V | null,
    readonly oldValue: V | null,
    /** False for the "subtract" half of a split update whose "add" half follows (KIP-904). */
    readonly isLatest: boolean = true,
  ) {}

  toString(): string {
    return `(${String(this.newValue)}<-${String(this.oldValue)})`;
  }
}
