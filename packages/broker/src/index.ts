/**
 * @kstreams/broker — a single-node broker that speaks the Kafka wire protocol (flexible versions included,
 * up to what Kafka 4.1's Java client prefers; kafkajs at its own), with durable segment storage, classic
 * and KIP-848 consumer groups, idempotent producers and transactions.
 *
 * @example
 * ```ts
 * import { startBroker } from '@kstreams/broker';
 * const broker = await startBroker({ port: 0 });
 * const kafka = new Kafka({ brokers: [broker.bootstrapServers] });
 * // …
 * await broker.close();
 * ```
 */
import { Broker, type BrokerOptions } from './server/broker';

export type { BrokerOptions } from './server/broker';
export type { LogLevel } from './server/logger';

export interface BrokerHandle {
  /** `host:port` to give clients as their bootstrap servers. */
  readonly bootstrapServers: string;
  readonly host: string;
  readonly port: number;
  /** The data directory in use (a temporary one when none was given). */
  readonly dataDir: string;
  /** Stops listening, closes every connection and flushes the logs. */
  close(): Promise<void>;
}

/** Starts a broker and resolves once it accepts connections. */
export async function startBroker(options: BrokerOptions = {}): Promise<BrokerHandle> {
  const broker = new Broker(options);
  try {
    await broker.listen();
  } catch (e) {
    await broker.close();
    throw e;
  }
  return {
    bootstrapServers: broker.bootstrapServers,
    host: broker.options.advertisedHost,
    port: broker.port,
    dataDir: broker.options.dataDir,
    close: () => broker.close(),
  };
}
