/**
 * Handlers for bad records: what to do when a record cannot be deserialized, processed, or produced.
 * Kafka Streams' built-ins: log and fail (default) or log and continue.
 */
import { log } from '../logger';
import type { Record } from '../processor/record';

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

/**
 * Kafka's `ProcessingExceptionHandler` (KIP-1033): called when a processor throws on a record (or a punctuator
 * throws; then `record` is null). `CONTINUE` drops the record at that processor and counts it in `dropped-records`;
 * `FAIL` stops the stream thread (the uncaught exception handler then decides).
 */
export interface ProcessingExceptionHandler {
  handle(context: ErrorHandlerContext, record: Record<unknown, unknown> | null, error: Error): HandlerResponse;
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

function processingWhere(c: ErrorHandlerContext): string {
  return `processor node: ${c.processorNodeId}, taskId: ${c.taskId}, source topic: ${c.topic}, source partition: ${c.partition}, source offset: ${c.offset}`;
}

/** Logs the processing error and fails (Kafka's default `processing.exception.handler`). */
export class LogAndFailProcessingExceptionHandler implements ProcessingExceptionHandler {
  handle(context: ErrorHandlerContext, _record: Record<unknown, unknown> | null, error: Error): HandlerResponse {
    log.error(`Exception caught during message processing, ${processingWhere(context)}`, error);
    return HandlerResponse.FAIL;
  }
}

/** Logs the processing error, drops the record and counts it in `dropped-records`. */
export class LogAndContinueProcessingExceptionHandler implements ProcessingExceptionHandler {
  handle(context: ErrorHandlerContext, _record: Record<unknown, unknown> | null, error: Error): HandlerResponse {
    log.warn(`Exception caught during message processing, ${processingWhere(context)}`, error);
    return HandlerResponse.CONTINUE;
  }
}
