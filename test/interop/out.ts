/** The canonical text every scenario prints; `java/interop/Out.java` prints the same through Kafka Streams. */
import type { Header, Topology, Windowed } from '@kstreams/streams';
import type { TopologyTestDriver } from '@kstreams/test-utils';

const RAW = { deserialize: (_topic: string, data: Buffer | null): Buffer | null => data };

export class Out {
  #text = '';

  line(s: string): void {
    this.#text += s + '\n';
  }

  describe(topology: Topology): void {
    this.#text += topology.describe().toString();
  }

  /** Bytes as text when every byte is printable ASCII, else 0x-hex; null as null. */
  static show(b: Buffer | null): string {
    if (b === null) return 'null';
    const printable = b.length > 0 && b.every((x) => x >= 0x20 && x <= 0x7e);
    return printable ? `"${b.toString('latin1')}"` : '0x' + b.toString('hex');
  }

  /** A key or value decoded by a format letter: s string, l long, i int, tw time-windowed string, sw session-windowed string; else shown. */
  static fmt(b: Buffer | null, f: string): string {
    if (b === null) return 'null';
    switch (f) {
      case 's':
        return b.toString('utf8');
      case 'l':
        return b.readBigInt64BE(0).toString();
      case 'i':
        return String(b.readInt32BE(0));
      case 'tw':
        return b.subarray(0, b.length - 8).toString('utf8') + '@' + b.readBigInt64BE(b.length - 8).toString();
      case 'sw': {
        const n = b.length - 16;
        return `${b.subarray(0, n).toString('utf8')}@${b.readBigInt64BE(n + 8).toString()}/${b.readBigInt64BE(n).toString()}`;
      }
      default:
        return Out.show(b);
    }
  }

  static headers(headers: { toArray(): Header[] }): string {
    const hs: string[] = [];
    for (const h of headers.toArray()) hs.push(`${h.key}=${Out.show(h.value)}`);
    return hs.length === 0 ? '' : ` [${hs.join(', ')}]`;
  }

  /** Every record of one output topic, decoded by format letters. */
  read(d: TopologyTestDriver, topic: string, kf = '', vf = ''): void {
    for (const r of d.createOutputTopic(topic, RAW, RAW).readRecordsToList()) {
      this.line(`${topic}: ${Out.fmt(r.key, kf)} -> ${Out.fmt(r.value, vf)} @${r.timestamp}${Out.headers(r.headers)}`);
    }
  }

  /** Every record of one topic without its timestamp (for the suppression-buffer changelog: a documented difference). */
  readUntimed(d: TopologyTestDriver, topic: string): void {
    for (const r of d.createOutputTopic(topic, RAW, RAW).readRecordsToList()) {
      this.line(`${topic}: ${Out.show(r.key)} -> ${Out.show(r.value)}${Out.headers(r.headers)}`);
    }
  }

  /** Every record of every topic produced so far (internal ones included), topics sorted, bytes shown. */
  readAll(d: TopologyTestDriver): void {
    for (const topic of [...d.producedTopicNames()].sort()) this.read(d, topic);
  }

  /** Items from a store iterator, each formatted by the caller. */
  iter<T>(label: string, items: Iterable<T>, f: (item: T) => string): void {
    const shown: string[] = [];
    for (const item of items) shown.push(f(item));
    this.line(`${label}: ${shown.join(', ')}`);
  }

  static win(w: Windowed<unknown>): string {
    return `${String(w.key())}@${w.window().start()}/${w.window().end()}`;
  }

  toString(): string {
    return this.#text;
  }
}
