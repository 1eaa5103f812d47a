/** `Branched`: the name of a `split()` branch and what to do with its stream (a function or a consumer). */
import type { KStream } from './kstream';
import { validateName } from './named';

export class Branched<K, V> {
  private constructor(
    readonly name: string | null,
    readonly chain: ((stream: KStream<K, V>) => KStream<K, V> | void) | null,
    readonly isConsumer: boolean,
  ) {
    if (name !== null) validateName(name);
  }

  /** Names the branch: its key in the result map is the split name plus this name. */
  static as<K, V>(name: string): Branched<K, V> {
    return new Branched<K, V>(name, null, false);
  }

  /** Transforms the branch; the returned stream is what the result map holds (omitted if it returns nothing). */
  static withFunction<K, V>(chain: (stream: KStream<K, V>) => KStream<K, V> | void, name?: string): Branched<K, V> {
    return new Branched<K, V>(name ?? null, chain, false);
  }

  /** Consumes the branch; the result map does not hold it. */
  static withConsumer<K, V>(chain: (stream: KStream<K, V>) => void, name?: string): Branched<K, V> {
    return new Branched<K, V>(name ?? null, chain, true);
  }
}
