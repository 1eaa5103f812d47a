/**
 * Parsing and validation of single StreamsConfig values, one function per {@link ConfigKind}. Every failure is a
 * `ConfigException` naming the key as the user wrote it (plus its other spelling) and the offending value.
 */
import { Duration } from 'luxon';
import { ConfigException } from '../errors';
import { Serdes } from '../serde/serdes';
import type { Serde } from '../serde/serde';
import type { ConfigKeySpec } from './config-keys';
import { closestName } from './suggest';

/** Renders a config value for an error message. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return `[class ${(v as { name?: string }).name || 'anonymous'}]`;
  if (Duration.isDuration(v)) return `Duration(${v.toISO() ?? 'invalid'})`;
  if (v !== null && typeof v === 'object') {
    try {
      const json = JSON.stringify(v);
      if (json !== undefined) return json.length > 80 ? `${json.slice(0, 77)}...` : json;
    } catch {
      // fall through
    }
    return Object.prototype.toString.call(v);
  }
  return String(v);
}

/** "commitIntervalMs" or "commit.interval.ms", whichever the user wrote, with the other in parentheses. */
export function keyLabel(spec: ConfigKeySpec, given: string): string {
  const other = given === spec.name ? spec.kafkaName : spec.name;
  return other === null ? `"${given}"` : `"${given}" (${other})`;
}

/** The error for a bad value: `Invalid value -5 for configuration "commitIntervalMs" (commit.interval.ms): …`. */
export function invalid(spec: ConfigKeySpec, given: string, value: unknown, reason: string): ConfigException {
  return new ConfigException(`Invalid value ${showValue(value)} for configuration ${keyLabel(spec, given)}: ${reason}`);
}

const INTEGER_TEXT = /^[+-]?\d+$/;

function integer(spec: ConfigKeySpec, given: string, value: unknown, lo: number, hi: number, unit: string): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) n = Number(value.trim());
  else throw invalid(spec, given, value, `expected ${unit}`);
  if (!Number.isInteger(n) || n < lo || n > hi) throw invalid(spec, given, value, `expected ${unit}`);
  if (spec.min !== undefined && n < spec.min) throw invalid(spec, given, value, `must be at least ${spec.min}`);
  return n;
}

/** A 32-bit integer (Kafka `INT`). */
export function parseInt32(spec: ConfigKeySpec, given: string, value: unknown): number {
  return integer(spec, given, value, -(2 ** 31), 2 ** 31 - 1, 'a 32-bit integer');
}

/** A safe integer (Kafka `LONG`, limited to what a JS number holds exactly). */
export function parseLong(spec: ConfigKeySpec, given: string, value: unknown): number {
  return integer(spec, given, value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'a whole number');
}

/** Milliseconds: a whole number, a numeric string, or a luxon `Duration`. */
export function parseDuration(spec: ConfigKeySpec, given: string, value: unknown): number {
  if (Duration.isDuration(value)) {
    if (!value.isValid) throw invalid(spec, given, value, 'invalid luxon Duration');
    const ms = value.toMillis();
    if (!Number.isSafeInteger(ms)) throw invalid(spec, given, value, 'expected a whole number of milliseconds');
    if (spec.min !== undefined && ms < spec.min) throw invalid(spec, given, value, `must be at least ${spec.min} ms`);
    return ms;
  }
  return integer(spec, given, value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'a whole number of milliseconds or a luxon Duration');
}

/** `true`/`false`, or the strings "true"/"false" in any case. */
export function parseBoolean(spec: ConfigKeySpec, given: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  throw invalid(spec, given, value, 'expected true or false');
}

/** A string, trimmed as Kafka's ConfigDef trims. */
export function parseString(spec: ConfigKeySpec, given: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(spec, given, value, 'expected a string');
  return value.trim();
}

/** A list: an array of strings or a comma-separated string; blanks dropped. */
export function parseList(spec: ConfigKeySpec, given: string, value: unknown): string[] {
  let items: unknown[];
  if (typeof value === 'string') items = value.split(',');
  else if (Array.isArray(value)) items = value;
  else throw invalid(spec, given, value, 'expected an array of strings or a comma-separated string');
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw invalid(spec, given, value, 'expected an array of strings or a comma-separated string');
    const t = item.trim();
    if (t !== '') out.push(t);
  }
  return out;
}

/** One of `spec.values`, exactly (Kafka's `in(...)` validator is case-sensitive). */
export function parseEnum(spec: ConfigKeySpec, given: string, value: unknown): string {
  const values = spec.values ?? [];
  if (typeof value === 'string' && values.includes(value.trim())) return value.trim();
  if (spec.name === 'processingGuarantee' && (value === 'exactly_once' || value === 'exactly_once_beta')) {
    throw invalid(spec, given, value, 'was removed in Kafka Streams 4.0; use "exactly_once_v2"');
  }
  const near = typeof value === 'string' ? closestName(value, values) : undefined;
  throw invalid(spec, given, value, `must be one of ${values.map((v) => `"${v}"`).join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`);
}

/** `topology.optimization`, checked as Kafka's `verifyTopologyOptimizationConfigs`; returns the flags joined by ",". */
export function parseOptimization(spec: ConfigKeySpec, given: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(spec, given, value, 'expected a string');
  const flags = value.trim().split(/\s*,\s*/);
  const known = ['all', 'none', 'reuse.ktable.source.topics', 'merge.repartition.topics', 'single.store.self.join'];
  if ((flags.includes('none') || flags.includes('all')) && flags.length > 1) {
    throw invalid(spec, given, value, '"none" and "all" cannot be combined with other optimizations');
  }
  for (const f of flags) {
    if (!known.includes(f)) throw invalid(spec, given, value, `unknown optimization "${f}"; known: ${known.join(', ')}`);
  }
  return flags.join(',');
}

/** The set of specific optimizations a `topology.optimization` value turns on. */
export function optimizationFlags(value: string): Set<string> {
  const flags = value.split(',');
  if (flags.includes('all')) return new Set(['reuse.ktable.source.topics', 'merge.repartition.topics', 'single.store.self.join']);
  if (flags.includes('none')) return new Set();
  return new Set(flags);
}

function hasMethod(o: unknown, method: string): boolean {
  return o !== null && typeof o === 'object' && typeof (o as Record<string, unknown>)[method] === 'function';
}

/** Instantiates a class given as a config value (Java configs take classes); its constructor must take no arguments. */
function instantiate(spec: ConfigKeySpec, given: string, value: unknown): unknown {
  if (typeof value !== 'function') return value;
  try {
    return new (value as new () => unknown)();
  } catch (e) {
    throw invalid(spec, given, value, `could not instantiate the class: ${(e as Error).message}`);
  }
}

/**
 * A pluggable object: a built-in name (short, or Java's fully-qualified class name under `javaPackage`),
 * an instance with `method`, or a class whose instances have it.
 */
export function parsePluggable(spec: ConfigKeySpec, given: string, value: unknown, method: string, javaPackage: string): unknown {
  const builtIns = spec.values ?? [];
  if (typeof value === 'string') {
    const t = value.trim();
    const short = t.startsWith(`${javaPackage}.`) ? t.slice(javaPackage.length + 1) : t;
    if (builtIns.includes(short)) return short;
    const near = closestName(short, builtIns);
    throw invalid(
      spec,
      given,
      value,
      `unknown built-in; use one of ${builtIns.map((b) => `"${b}"`).join(', ')}${near ? ` (did you mean "${near}"?)` : ''}, ` +
        `or an object with a ${method}() method`,
    );
  }
  const instance = instantiate(spec, given, value);
  if (!hasMethod(instance, method)) {
    throw invalid(spec, given, value, `expected a built-in name or an object (or class) with a ${method}() method`);
  }
  return instance;
}

/** `rocksdb.config.setter`: an object or class with `setConfig`, or null. */
export function parseConfigSetter(spec: ConfigKeySpec, given: string, value: unknown): unknown {
  if (value === null) return null;
  const instance = instantiate(spec, given, value);
  if (!hasMethod(instance, 'setConfig')) throw invalid(spec, given, value, 'expected an object (or class) with a setConfig() method');
  return instance;
}

const JAVA_SERDES: Readonly<Record<string, () => Serde<unknown>>> = {
  StringSerde: Serdes.String,
  LongSerde: Serdes.Long,
  IntegerSerde: Serdes.Integer,
  ShortSerde: Serdes.Short,
  FloatSerde: Serdes.Float,
  DoubleSerde: Serdes.Double,
  ByteArraySerde: Serdes.ByteArray,
  BytesSerde: Serdes.Bytes,
  UUIDSerde: Serdes.UUID,
  BooleanSerde: Serdes.Boolean,
  VoidSerde: Serdes.Void,
};

/** A serde: an instance, a class, a Java built-in serde class name (`...Serdes$StringSerde`), or null. */
export function parseSerde(spec: ConfigKeySpec, given: string, value: unknown): Serde<unknown> | null {
  if (value === null) return null;
  if (typeof value === 'string') {
    const t = value.trim();
    const m = /^(?:org\.apache\.kafka\.common\.serialization\.)?Serdes\$(\w+)$/.exec(t);
    const make = m ? JAVA_SERDES[m[1]!] : undefined;
    if (make) return make();
    throw invalid(
      spec,
      given,
      value,
      `unknown serde class; use a Serde object such as Serdes.String(), or one of ${Object.keys(JAVA_SERDES)
        .map((k) => `"org.apache.kafka.common.serialization.Serdes$${k}"`)
        .slice(0, 3)
        .join(', ')}, …`,
    );
  }
  const instance = instantiate(spec, given, value);
  if (!hasMethod(instance, 'serializer') || !hasMethod(instance, 'deserializer')) {
    throw invalid(spec, given, value, 'expected a Serde (an object with serializer() and deserializer())');
  }
  return instance as Serde<unknown>;
}

/** A plain object (not null, not an array). */
export function parseObject(spec: ConfigKeySpec, given: string, value: unknown): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(spec, given, value, 'expected an object');
  return value as Readonly<Record<string, unknown>>;
}
