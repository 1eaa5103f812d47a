/**
 * Requests of our own codecs (`@kstreams/protocol`, the broker's) sent over kafkajs' broker connections. kafkajs
 * keeps what it does well (connections, TLS/SASL, API version negotiation, metadata); we encode and decode the
 * requests of the produce path ourselves: Produce with record batches written in place, and the transaction
 * requests. kafkajs writes request header v1; a flexible request needs v2, which is v1 plus an empty tagged-field
 * section, so the body starts with that section. kafkajs strips a response's correlation id and hands over the
 * rest; a flexible response's header has a tagged-field section of its own, skipped here.
 */
import { apiRange } from '@kstreams/protocol/api-keys';
import { Reader } from '@kstreams/protocol/reader';
import { type Codec, skipTaggedFields } from '@kstreams/protocol/schema';
import { Writer } from '@kstreams/protocol/writer';
import { StreamsException } from '../../errors';

/** A generated message module of `@kstreams/protocol/messages/*`. */
export interface MessageModule<Req, Res> {
  readonly apiKey: number;
  readonly flexibleSince: number;
  readonly request: Codec<Req>;
  readonly response: Codec<Res>;
}

/** The part of a kafkajs broker the produce path uses. */
export interface WireBroker {
  readonly nodeId: number;
  readonly versions: { readonly [apiKey: number]: { readonly minVersion: number; readonly maxVersion: number } } | null;
  readonly connectionPool: { send(protocolRequest: unknown): Promise<unknown> };
  disconnect(): Promise<void>;
}

/** A request that found no version both sides speak. */
export class UnsupportedVersionError extends StreamsException {
  override readonly name = 'UnsupportedVersionError';
}

/** The highest version of `api` both we and `broker` speak. */
export function versionFor(broker: WireBroker, apiKey: number): number {
  const ours = apiRange(apiKey);
  const theirs = broker.versions?.[apiKey];
  if (!ours || !theirs) throw new UnsupportedVersionError(`Broker ${broker.nodeId} does not serve API key ${apiKey}`);
  const v = Math.min(ours.maxVersion, theirs.maxVersion);
  if (v < Math.max(ours.minVersion, theirs.minVersion)) {
    throw new UnsupportedVersionError(`No common version of API key ${apiKey}: ours ${ours.minVersion}-${ours.maxVersion}, broker ${broker.nodeId} ${theirs.minVersion}-${theirs.maxVersion}`);
  }
  return v;
}

/** A view of one encoded body that kafkajs' request writer accepts as its `Encoder`. */
interface EncodedBody {
  readonly buf: Buffer;
  readonly buffer: Buffer;
}

/**
 * Sends one request of `api` to `broker` at the highest common version and returns the decoded response;
 * `null` when `expectResponse` is false (Produce with acks=0). A closed connection disconnects the broker, so the
 * next call reconnects (as kafkajs' own requests do).
 */
export async function call<Req, Res>(
  broker: WireBroker,
  api: MessageModule<Req, Res>,
  body: Req,
  options: { expectResponse?: boolean; requestTimeout?: number; version?: number } = {},
): Promise<Res> {
  const version = options.version ?? versionFor(broker, api.apiKey);
  const flexible = api.flexibleSince >= 0 && version >= api.flexibleSince;
  const expectResponse = options.expectResponse ?? true;
  const request = {
    apiKey: api.apiKey,
    apiVersion: version,
    apiName: apiRange(api.apiKey)?.name ?? String(api.apiKey),
    expectResponse: () => expectResponse,
    encode: (): EncodedBody => {
      const w = new Writer(1024);
      w.version = version;
      w.flexible = flexible;
      if (flexible) w.unsignedVarint(0); // request header v2's tagged fields
      api.request.write(w, body);
      const buf = w.toBuffer();
      return { buf, buffer: buf };
    },
  };
  const response = {
    decode: (payload: Buffer): Res => {
      const r = new Reader(payload);
      r.version = version;
      r.flexible = flexible;
      if (flexible) skipTaggedFields(r); // response header v1's tagged fields
      return api.response.read(r);
    },
    parse: (decoded: Res): Res => decoded,
  };
  try {
    return (await broker.connectionPool.send({ request, response, ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }) })) as Res;
  } catch (e) {
    if ((e as { name?: string }).name === 'KafkaJSConnectionClosedError') await broker.disconnect().catch(() => undefined);
    throw e;
  }
}
