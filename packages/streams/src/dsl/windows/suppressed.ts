/**
 * `Suppressed` and its buffer configs (Kafka's `Suppressed`, `BufferConfig`): hold back KTable updates in an
 * in-memory buffer and emit only the latest value per key — after a time limit (`untilTimeLimit`), or once the
 * key's window has closed (`untilWindowCloses`, the "final results" of a windowed aggregation).
 * `untilWindowCloses` takes a strict config (`unbounded()` or `.shutDownWhenFull()`), because emitting early would
 * break its promise of final results.
 *
 * @example
 * ```ts
 * counts.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())).toStream().to('final-counts');
 * counts.suppress(Suppressed.untilTimeLimit(60_000, BufferConfig.maxRecords(1000).emitEarlyWhenFull()));
 * ```
 */
import { IllegalArgumentException } from '../../errors';
import type { DurationLike } from '../../time/duration';
import { durationMs } from '../../time/duration';
import { validateName } from '../named';

export type BufferFullStrategy = 'EMIT' | 'SHUT_DOWN';

interface BufferProps {
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly loggingEnabled: boolean;
  readonly logConfig: Readonly<{ [key: string]: string }>;
}

const UNBOUNDED: BufferProps = { maxRecords: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER, loggingEnabled: true, logConfig: {} };

function checkBound(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new IllegalArgumentException(`${what} must be a non-negative whole number, got ${n}`);
  return n;
}

/** How big the suppression buffer may grow and what happens when it is full. */
export abstract class BufferConfig {
  abstract readonly bufferFullStrategy: BufferFullStrategy;

  protected constructor(readonly props: BufferProps) {}

  /** A buffer of at most `recordLimit` keys that emits the oldest early when full. */
  static maxRecords(recordLimit: number): EagerBufferConfig {
    return new EagerBufferConfig({ ...UNBOUNDED, maxRecords: checkBound(recordLimit, 'maxRecords') });
  }

  /** A buffer of at most `byteLimit` bytes that emits the oldest early when full. */
  static maxBytes(byteLimit: number): EagerBufferConfig {
    return new EagerBufferConfig({ ...UNBOUNDED, maxBytes: checkBound(byteLimit, 'maxBytes') });
  }

  /** A buffer without bounds (it grows until memory runs out). */
  static unbounded(): StrictBufferConfig {
    return new StrictBufferConfig(UNBOUNDED);
  }

  maxRecords(): number {
    return this.props.maxRecords;
  }

  maxBytes(): number {
    return this.props.maxBytes;
  }

  isLoggingEnabled(): boolean {
    return this.props.loggingEnabled;
  }

  logConfig(): Readonly<{ [key: string]: string }> {
    return this.props.logConfig;
  }

  /** Shut the application down (StreamsException) instead of emitting early when the buffer is full. */
  shutDownWhenFull(): StrictBufferConfig {
    return new StrictBufferConfig(this.props);
  }

  /** Emit the oldest records early when the buffer is full. */
  emitEarlyWhenFull(): EagerBufferConfig {
    return new EagerBufferConfig(this.props);
  }

  /** Removes both bounds. */
  withNoBound(): StrictBufferConfig {
    return new StrictBufferConfig({ ...this.props, maxRecords: UNBOUNDED.maxRecords, maxBytes: UNBOUNDED.maxBytes });
  }
}

/** A buffer config that emits early when full. */
export class EagerBufferConfig extends BufferConfig {
  readonly bufferFullStrategy = 'EMIT' as const;

  /** @internal use `BufferConfig.maxRecords` / `maxBytes` */
  constructor(props: BufferProps) {
    super(props);
  }

  withMaxRecords(recordLimit: number): EagerBufferConfig {
    return new EagerBufferConfig({ ...this.props, maxRecords: checkBound(recordLimit, 'maxRecords') });
  }
  withMaxBytes(byteLimit: number): EagerBufferConfig {
    return new EagerBufferConfig({ ...this.props, maxBytes: checkBound(byteLimit, 'maxBytes') });
  }
  withLoggingDisabled(): EagerBufferConfig {
    return new EagerBufferConfig({ ...this.props, loggingEnabled: false, logConfig: {} });
  }
  withLoggingEnabled(config: Readonly<{ [key: string]: string }> = {}): EagerBufferConfig {
    return new EagerBufferConfig({ ...this.props, loggingEnabled: true, logConfig: { ...config } });
  }
}

/** A buffer config that never emits early: unbounded, or shutting down when full. */
export class StrictBufferConfig extends BufferConfig {
  readonly bufferFullStrategy = 'SHUT_DOWN' as const;

  /** @internal use `BufferConfig.unbounded()` or `.shutDownWhenFull()` */
  constructor(props: BufferProps) {
    super(props);
  }

  withMaxRecords(recordLimit: number): StrictBufferConfig {
    return new StrictBufferConfig({ ...this.props, maxRecords: checkBound(recordLimit, 'maxRecords') });
  }
  withMaxBytes(byteLimit: number): StrictBufferConfig {
    return new StrictBufferConfig({ ...this.props, maxBytes: checkBound(byteLimit, 'maxBytes') });
  }
  withLoggingDisabled(): StrictBufferConfig {
    return new StrictBufferConfig({ ...this.props, loggingEnabled: false, logConfig: {} });
  }
  withLoggingEnabled(config: Readonly<{ [key: string]: string }> = {}): StrictBufferConfig {
    return new StrictBufferConfig({ ...this.props, loggingEnabled: true, logConfig: { ...config } });
  }
}

/** What a suppression waits for. */
export type SuppressedKind = { readonly kind: 'untilWindowCloses' } | { readonly kind: 'untilTimeLimit'; readonly timeToWaitMs: number };

/** A suppression: what it waits for, its buffer, and an optional processor name. */
export class Suppressed<K> {
  /** Phantom field tying the suppression to its key type (windowed for `untilWindowCloses`). */
  declare readonly keyType?: K;

  private constructor(
    readonly until: SuppressedKind,
    readonly bufferConfig: BufferConfig,
    readonly name: string | null,
  ) {
    if (name !== null) validateName(name);
  }

  /**
   * Emits only the final result of each window, once stream time passes the window's end plus grace.
   * Only for windowed KTables (otherwise the topology fails to build).
   */
  static untilWindowCloses<K>(bufferConfig: StrictBufferConfig): Suppressed<K> {
    return new Suppressed<K>({ kind: 'untilWindowCloses' }, bufferConfig, null);
  }

  /** Emits the latest value of a key once `timeToWaitForMoreEvents` of stream time passed since its first update. */
  static untilTimeLimit<K>(timeToWaitForMoreEvents: DurationLike, bufferConfig: BufferConfig): Suppressed<K> {
    const ms = durationMs(timeToWaitForMoreEvents, 'timeToWaitForMoreEvents');
    if (ms < 0) throw new IllegalArgumentException('timeToWaitForMoreEvents must not be negative');
    return new Suppressed<K>({ kind: 'untilTimeLimit', timeToWaitMs: ms }, bufferConfig, null);
  }

  /** Names the suppression processor (its buffer store is then `<name>-store`). */
  withName(name: string): Suppressed<K> {
    return new Suppressed<K>(this.until, this.bufferConfig, name);
  }
}
