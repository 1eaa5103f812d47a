/** `BranchedKStream`: the builder returned by `KStream.split()`. */
import type { Predicate } from '../processor/operators/functions';
import type { Branched } from './branched';
import type { KStream } from './kstream';

export interface BranchedKStream<K, V> {
  /** Adds a branch for records matching the predicate (first match wins). */
  branch(predicate: Predicate<K, V>, branched?: Branched<K, V>): BranchedKStream<K, V>;
  /** Adds the branch for records no predicate matched, and returns the branches by name. */
  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>>;
  /** Ends the split without a default branch (unmatched records are dropped), returning the branches by name. */
  noDefaultBranch(): Map<string, KStream<K, V>>;
}
