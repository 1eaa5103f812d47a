/** `KStream.peek` (forwards) and `foreach` (terminal): runs an action per record. */
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import type { ForeachAction } from './functions';

export class KStreamPeek<K, V> implements Processor<K, V, K, V> {
  #context!: ProcessorContext<K, V>;
  constructor(
    private readonly action: ForeachAction<K, V>,
    private readonly forwardDownstream: boolean,
  ) {}
  init(context: ProcessorContext<K, V>): void {
    this.#context = context;
  }
  process(record: Record<K, V>): void {
    this.action(record.key, record.value);
    if (this.forwardDownstream) this.#context.forward(record);
  }
}
