/**
 * How the HTTP query server writes keys and values: as JSON when the typed value is plain JSON data (strings,
 * finite numbers, booleans, null, arrays and plain objects of those), otherwise as base64 of the bytes the
 * store's serde writes. Every rendered field says which (`"json"` or `"base64"`), so clients never guess.
 */
import type { Serializer } from '../../serde/serde';

export type RenderFormat = 'json' | 'base64';

export interface Rendered {
  readonly data: unknown;
  readonly format: RenderFormat;
}

/** Whether a value survives `JSON.stringify` / `JSON.parse` unchanged. */
export function isJsonable(v: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (Array.isArray(v)) return v.every((x) => isJsonable(x, depth + 1));
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      return Object.values(v as object).every((x) => isJsonable(x, depth + 1));
    }
    default:
      return false;
  }
}

/** Renders a typed key or value: JSON when it is JSON data, else base64 of its serialized bytes. */
export function render(value: unknown, serializer: Serializer<unknown> | null, topic: string): Rendered {
  if (isJsonable(value)) return { data: value, format: 'json' };
  if (serializer !== null) {
    const bytes = serializer.serialize(topic, value);
    if (bytes !== null) return { data: bytes.toString('base64'), format: 'base64' };
  }
  if (Buffer.isBuffer(value)) return { data: value.toString('base64'), format: 'base64' };
  return { data: String(value), format: 'json' };
}
