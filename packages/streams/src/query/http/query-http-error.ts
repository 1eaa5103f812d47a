/**
 * The JSON errors of the HTTP query server: status, a stable code, a message naming what is wrong, and whether
 * retrying later can succeed (the store is moving, the instance is rebalancing, the owner is unreachable).
 */
import {
  IllegalArgumentException,
  IllegalStateException,
  InvalidStateStoreException,
  InvalidStateStorePartitionException,
  SerializationException,
  StateStoreMigratedException,
  StateStoreNotAvailableException,
  StreamsNotStartedException,
  StreamsRebalancingException,
  UnknownStateStoreException,
} from '../../errors';

export class QueryHttpError extends Error {
  override readonly name = 'QueryHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }

  body(extra: { [k: string]: unknown } = {}): string {
    return JSON.stringify({ error: this.code, message: this.message, status: this.status, retryable: this.retryable, ...extra });
  }
}

/** Maps what a query threw to an HTTP error. */
export function toHttpError(e: unknown): QueryHttpError {
  if (e instanceof QueryHttpError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof UnknownStateStoreException) return new QueryHttpError(404, 'UnknownStateStore', message, false);
  if (e instanceof StreamsNotStartedException) return new QueryHttpError(503, 'StreamsNotStarted', message, true);
  if (e instanceof StreamsRebalancingException) return new QueryHttpError(503, 'StreamsRebalancing', message, true);
  if (e instanceof StateStoreMigratedException) return new QueryHttpError(503, 'StateStoreMigrated', message, true);
  if (e instanceof InvalidStateStorePartitionException) return new QueryHttpError(503, 'InvalidStateStorePartition', message, true);
  if (e instanceof StateStoreNotAvailableException) return new QueryHttpError(503, 'StateStoreNotAvailable', message, false);
  if (e instanceof InvalidStateStoreException) return new QueryHttpError(400, 'InvalidStateStore', message, false);
  if (e instanceof IllegalStateException) return new QueryHttpError(503, 'StreamsNotRunning', message, false);
  if (e instanceof SerializationException || e instanceof TypeError) return new QueryHttpError(400, 'MalformedKey', message, false);
  if (e instanceof IllegalArgumentException) return new QueryHttpError(400, 'BadRequest', message, false);
  return new QueryHttpError(500, 'InternalError', message, false);
}
