/**
 * `EmitStrategy` (KIP-825): when a windowed aggregation emits. `onWindowUpdate()` (the default) emits every
 * update (subject to the record cache); `onWindowClose()` emits each window once, its final result, when stream
 * time passes the window's end plus grace — read back from the window store, with no separate suppress buffer.
 */
export type EmitStrategyType = 'ON_WINDOW_UPDATE' | 'ON_WINDOW_CLOSE';

export class EmitStrategy {
  private constructor(readonly type: EmitStrategyType) {}

  static readonly #update = new EmitStrategy('ON_WINDOW_UPDATE');
  static readonly #close = new EmitStrategy('ON_WINDOW_CLOSE');

  /** Emit each window's final result once, when it closes. */
  static onWindowClose(): EmitStrategy {
    return EmitStrategy.#close;
  }

  /** Emit an update for every change of a window (the default). */
  static onWindowUpdate(): EmitStrategy {
    return EmitStrategy.#update;
  }
}
