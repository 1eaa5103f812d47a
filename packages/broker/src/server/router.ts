/**
 * Request routing: the API key selects a route (request codec, handler, response codec). The request
 * header's version is checked against the served range first; ApiVersions at an unknown version gets
 * the KIP-511 fallback answer (UNSUPPORTED_VERSION in a v0 body) so newer clients retry lower. Flexible
 * versions read the request header v2's tagged fields and answer with response header v1 (a tagged-field
 * section after the correlation id), except ApiVersions, whose response header is always v0.
 */
import { apiRange, ApiKey, isFlexible, SUPPORTED_APIS } from '@kstreams/protocol/api-keys';
import { ErrorCode, UnsupportedApiError } from '@kstreams/protocol/errors';
import * as apiVersions from '@kstreams/protocol/messages/api-versions';
import type { Reader } from '@kstreams/protocol/reader';
import { skipTaggedFields, type Codec } from '@kstreams/protocol/schema';
import { Writer } from '@kstreams/protocol/writer';
import type { Broker } from './broker';
import { adminRoutes } from './handlers/admin';
import { clusterRoutes } from './handlers/cluster';
import { dataRoutes } from './handlers/data';
import { groupRoutes } from './handlers/groups';
import { txnRoutes } from './handlers/transactions';

export interface RequestContext {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string;
  clientHost: string;
  broker: Broker;
}

/** Returned by a handler that must not answer (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no-response');

export interface Route<Req, Res> {
  request: Codec<Req>;
  response: Codec<Res>;
  handle(req: Req, ctx: RequestContext): Res | Promise<Res> | typeof NO_RESPONSE;
}

export function route<Req, Res>(r: Route<Req, Res>): Route<unknown, unknown> {
  return r as unknown as Route<unknown, unknown>;
}

const apiVersionsRoute = route({
  request: apiVersions.request,
  response: apiVersions.response,
  handle: () => ({
    errorCode: ErrorCode.NONE,
    apiKeys: SUPPORTED_APIS.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion })),
    throttleTimeMs: 0,
  }),
});

const routes = new Map<number, Route<unknown, unknown>>([
  ...dataRoutes,
  ...groupRoutes,
  ...adminRoutes,
  ...txnRoutes,
  ...clusterRoutes,
  [ApiKey.ApiVersions, apiVersionsRoute],
]);

/** Response header v1's empty tagged-field section, written after the correlation id. */
const EMPTY_TAGS = Buffer.from([0]);

function encode(codec: Codec<unknown>, value: unknown, version: number, flexible = false, headerTags = false): Buffer[] {
  const w = new Writer();
  w.version = version;
  w.flexible = flexible;
  if (headerTags) w.raw(EMPTY_TAGS);
  codec.write(w, value);
  return w.toChunks();
}

/** Decodes and handles one request; returns the encoded body, a promise of it, or null for no response. */
export function dispatch(ctx: RequestContext, reader: Reader): Buffer[] | Promise<Buffer[]> | null {
  const range = apiRange(ctx.apiKey);
  if (!range) throw new UnsupportedApiError(ctx.apiKey, ctx.apiVersion, `unknown API key ${ctx.apiKey}`);
  if (ctx.apiVersion < range.minVersion || ctx.apiVersion > range.maxVersion) {
    if (ctx.apiKey === ApiKey.ApiVersions) {
      const ownRange = { apiKey: ApiKey.ApiVersions, minVersion: range.minVersion, maxVersion: range.maxVersion };
      return encode(apiVersions.response as Codec<unknown>, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: [ownRange] }, 0);
    }
    throw new UnsupportedApiError(
      ctx.apiKey,
      ctx.apiVersion,
      `${range.name} v${ctx.apiVersion} is not supported (this broker serves v${range.minVersion}-v${range.maxVersion})`,
    );
  }
  const r = routes.get(ctx.apiKey)!;
  const flexible = isFlexible(range, ctx.apiVersion);
  if (flexible) skipTaggedFields(reader);
  reader.version = ctx.apiVersion;
  reader.flexible = flexible;
  const req = r.request.read(reader);
  const res = r.handle(req, ctx);
  if (res === NO_RESPONSE) return null;
  const headerTags = flexible && ctx.apiKey !== ApiKey.ApiVersions;
  if (res instanceof Promise) return res.then((v) => encode(r.response, v, ctx.apiVersion, flexible, headerTags));
  return encode(r.response, res, ctx.apiVersion, flexible, headerTags);
}
