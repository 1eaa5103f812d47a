/**
 * Shapes the aborted-transaction list of a read_committed Fetch response for clients that walk it
 * naively. kafkajs 2.2.4 (`filterAbortedMessages`) activates at most one aborted transaction per record,
 * so when several aborted transactions began before the first record returned (a fetch that resumes
 * inside interleaved transactions), it activates them one record too late and lets aborted records
 * through. Real Kafka sends the same list and kafkajs leaks there too.
 *
 * Each entry's first offset is therefore moved up to the first record of that producer's transactional
 * batches in this response, and entries for producers with no such batch are dropped. Clients that
 * follow the protocol (the Java consumer activates every entry whose first offset is <= the batch's last
 * offset) see no difference: nothing of that producer precedes the new first offset in the response.
 * After the move, every entry's first offset is a distinct offset of a record kafkajs walks, so its
 * one-per-record activation lines up exactly.
 */
import { Attr, readBatchHeader } from '@kstreams/protocol/record-batch';
import type { AbortedTxn } from './producer-state';

export function alignAbortedToBatches(
  aborted: readonly AbortedTxn[],
  chunks: readonly Buffer[],
  fetchOffset: number,
): { producerId: number; firstOffset: number }[] {
  if (aborted.length === 0) return [];
  const out: { producerId: number; firstOffset: number }[] = [];
  const pending = new Set(aborted.map((_, i) => i));
  for (const chunk of chunks) {
    for (let at = 0; at + 61 <= chunk.length && pending.size > 0; ) {
      const h = readBatchHeader(chunk, at);
      at += h.size;
      if ((h.attributes & Attr.CONTROL) !== 0 || (h.attributes & Attr.TRANSACTIONAL) === 0) continue;
      const last = h.baseOffset + h.lastOffsetDelta;
      if (last < fetchOffset) continue;
      for (const i of pending) {
        const a = aborted[i]!;
        if (a.producerId === h.producerId && h.baseOffset <= a.lastOffset && last >= a.firstOffset) {
          out.push({ producerId: a.producerId, firstOffset: Math.max(h.baseOffset, a.firstOffset, fetchOffset) });
          pending.delete(i);
        }
      }
    }
  }
  return out.sort((x, y) => x.firstOffset - y.firstOffset);
}
