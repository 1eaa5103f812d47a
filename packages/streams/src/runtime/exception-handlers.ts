/**
 * Handlers for bad records: what to do when a record cannot be deserialized, processed, or produced.
 * Kafka Streams' built-ins: log and fail (default) or log and continue.
 */
import { log } from '../logger';

export enum HandlerResponse {
  CONTINUE = 'CONTINUE',
  FAIL = 'FAIL',
}

/** Where the bad record was. */
export interface ErrorHandlerContext {
  readonly topic: string | null;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly processorNodeId: string | null;
  readonly taskId: string;
}

/** The raw bytes of a record that failed to deserialize. */
export interface RawRecordView {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export interface DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, record: RawRecordView, error: Error): HandlerResponse;
}

export interface ProductionExceptionHandler {
  handle(context: ErrorHandlerContext, record: { topic: string; key: Buffer | null; value: Buffer | null }, error: Error): HandlerResponse;
}

function where(c: ErrorHandlerContext): string {
  return `taskId: ${c.taskId}, topic: ${c.topic}, partition: ${c.partition}, offset: ${c.offset}`;
}

/** Logs the error and stops processing (the default). */
export class LogAndFailExceptionHandler implements DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, _record: RawRecordView, error: Error): HandlerResponse {
    log.error(`Exception caught during Deserialization, ${where(context)}`, error);
    return HandlerResponse.FAIL;
  }
}

/** Logs the error, skips the record and counts it in `dropped-records`. */
export class LogAndContinueExceptionHandler implements DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, _record: RawRecordView, error: Error): HandlerResponse {
    log.warn(`Exception caught during Deserialization, ${where(context)}`, error);
    return HandlerResponse.CONTINUE;
  }
}

/** Fails on any production error (the default). */
export class DefaultProductionExceptionHandler implements ProductionExceptionHandler {
  handle(): HandlerResponse {
    return HandlerResponse.FAIL;
  }
}
