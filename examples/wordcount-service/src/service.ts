/**
 * WordCount as a service: counts the words of the lines on `streams-plaintext-input` into the `counts` store
 * and serves it over HTTP with kstreams' `InteractiveQueryServer`. Run several instances with the same
 * applicationId: each counts its share of the words, and any of them answers for any word (forwarding to the
 * owner when needed).
 */
import { Consumed, Grouped, InteractiveQueryServer, KafkaStreams, Materialized, Serdes, StreamsBuilder } from '@kstreams/streams';
import type { Topology } from '@kstreams/streams';

export const INPUT_TOPIC = 'streams-plaintext-input';
export const COUNTS_STORE = 'counts';

/** WordCount with its counts in a queryable store named `counts`. */
export function wordCountTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string | null, string>(INPUT_TOPIC, Consumed.with(Serdes.String(), Serdes.String()))
    .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((w) => w.length > 0))
    .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
    .count(Materialized.as<string, number>(COUNTS_STORE));
  return builder.build();
}

export interface WordCountServiceOptions {
  readonly bootstrapServers: string;
  /** HTTP port of this instance (its `application.server` port). */
  readonly port: number;
  /** Host name other instances reach this one by. Default 127.0.0.1. */
  readonly host?: string;
  readonly stateDir: string;
  readonly applicationId?: string;
}

export interface WordCountService {
  readonly streams: KafkaStreams;
  readonly server: InteractiveQueryServer;
  close(): Promise<void>;
}

/** Starts one instance: the HTTP server first (so forwarded queries find it), then the streams client. */
export async function startWordCountService(options: WordCountServiceOptions): Promise<WordCountService> {
  const host = options.host ?? '127.0.0.1';
  const streams = new KafkaStreams(wordCountTopology(), {
    applicationId: options.applicationId ?? 'wordcount-service',
    bootstrapServers: options.bootstrapServers,
    stateDir: options.stateDir,
    applicationServer: `${host}:${options.port}`,
    commitIntervalMs: 500,
  });
  const server = new InteractiveQueryServer(streams, { port: options.port });
  await server.start();
  await streams.start();
  return {
    streams,
    server,
    close: async () => {
      await server.close();
      await streams.close({ timeout: 10_000 });
    },
  };
}
