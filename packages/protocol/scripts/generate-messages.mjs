#!/usr/bin/env node
/**
 * Writes src/messages/*.ts from Kafka's JSON message specs (apache/kafka
 * clients/src/main/resources/common/message/<Name>{Request,Response}.json): one declarative struct per
 * request and response, each field with its version range, nullability, default and tag, so the codec
 * for every version (flexible ones included) comes from the same table Kafka's generator reads.
 *
 *   node scripts/generate-messages.mjs <dir holding the JSON specs> [source label]
 *
 * The served version ranges live in src/api-keys.ts; a response field present in only part of
 * the served range is optional in the handler-facing type (left out, it is written as its default).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, '..', 'src', 'messages');
const specDir = process.argv[2];
const label = process.argv[3] ?? 'apache/kafka';
if (!specDir) {
  console.error('usage: generate-messages.mjs <spec dir> [source label]');
  process.exit(2);
}

// The APIs this broker serves and the range it serves; keep in step with src/api-keys.ts.
const apiKeysSource = fs.readFileSync(path.join(HERE, '..', 'src', 'api-keys.ts'), 'utf8');
const served = {};
for (const m of apiKeysSource.matchAll(/^\s{2}(\w+): \[(\d+), (\d+)\],$/gm)) served[m[1]] = [Number(m[2]), Number(m[3])];

function readSpec(file) {
  const text = fs
    .readFileSync(path.join(specDir, file), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*\/\//.test(l))
    .join('\n');
  return JSON.parse(text);
}

function range(v) {
  if (v === undefined || v === 'none') return null;
  if (v.endsWith('+')) return [Number(v.slice(0, -1)), 0x7fff];
  const [a, b] = v.split('-');
  return [Number(a), Number(b ?? a)];
}

const camel = (s) => s[0].toLowerCase() + s.slice(1);
const kebab = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const PRIMITIVES = new Set(['int8', 'int16', 'int32', 'int64', 'bool', 'uuid', 'float64', 'uint16']);

class Gen {
  constructor(spec, servedRange, isResponse) {
    this.spec = spec;
    this.served = servedRange;
    this.isResponse = isResponse;
    this.common = new Map((spec.commonStructs ?? []).map((s) => [s.name, s.fields]));
    this.used = new Set();
    this.depth = 0;
  }

  use(name) {
    this.used.add(name);
    return name;
  }

  /** Default value expression for a field outside its versions (Kafka's generator rules). */
  absent(f, nullable) {
    const t = f.type;
    const d = f.default;
    if (d === 'null') return 'null';
    if (t.startsWith('[]')) return '[]';
    if (PRIMITIVES.has(t) && t !== 'bool' && t !== 'uuid') return d !== undefined && d !== '' ? String(Number(d)) : '0';
    if (t === 'bool') return d === 'true' ? 'true' : 'false';
    if (t === 'uuid') return this.use('ZERO_UUID');
    if (t === 'string') return d !== undefined ? JSON.stringify(d) : nullable ? 'null' : "''";
    if (t === 'bytes' || t === 'records') return nullable ? 'null' : 'Buffer.alloc(0)';
    // a struct: its fields' defaults
    const fields = this.structFields(f);
    return `{ ${fields.map((x) => `${camel(x.name)}: ${this.absent(x, range(x.nullableVersions) !== null)}`).join(', ')} }`;
  }

  structFields(f) {
    const t = f.type.startsWith('[]') ? f.type.slice(2) : f.type;
    return f.fields ?? this.common.get(t) ?? [];
  }

  base(f) {
    const nullable = range(f.nullableVersions) !== null;
    const t = f.type;
    if (t.startsWith('[]')) {
      const inner = t.slice(2);
      const item = PRIMITIVES.has(inner) || inner === 'string' || inner === 'bytes' ? this.scalar(inner, false) : this.struct(this.structFields(f), this.depth);
      return nullable ? `${this.use('nullableArray')}(${item})` : `${this.use('array')}(${item})`;
    }
    if (PRIMITIVES.has(t) || t === 'string' || t === 'bytes') return this.scalar(t, nullable);
    if (t === 'records') return this.spec.name === 'FetchResponse' ? this.use('recordChunks') : this.use('nullableBytes');
    const s = this.struct(this.structFields(f), this.depth);
    return nullable ? `${this.use('nullableStruct')}(${s})` : s;
  }

  scalar(t, nullable) {
    if (t === 'string') return this.use(nullable ? 'nullableString' : 'string');
    if (t === 'bytes') return this.use(nullable ? 'nullableBytes' : 'bytes');
    return this.use(t);
  }

  field(f) {
    const [min, max] = range(f.versions) ?? [0, -1];
    const nullable = range(f.nullableVersions) !== null;
    const codec = this.base(f);
    const tv = range(f.taggedVersions);
    if (tv) return `${this.use('tagged')}(${f.tag}, ${tv[0]}, ${tv[1]}, ${codec}, ${this.absent(f, nullable)})`;
    let expr;
    if (min <= 0 && max === 0x7fff) expr = codec;
    else if (max === 0x7fff) expr = `${this.use('since')}(${min}, ${codec}, ${this.absent(f, nullable)})`;
    else expr = `${this.use('versions')}(${min}, ${max}, ${codec}, ${this.absent(f, nullable)})`;
    const everywhere = min <= this.served[0] && max >= this.served[1];
    return this.isResponse && !everywhere ? `${this.use('opt')}(${expr})` : expr;
  }

  struct(fields, depth = 0) {
    this.use('struct');
    if (fields.length === 0) return 'struct({})';
    this.depth = depth + 1;
    const pad = '  '.repeat(depth + 1);
    const lines = fields.map((f) => {
      const saved = this.depth;
      const line = `${pad}${camel(f.name)}: ${this.field(f)},`;
      this.depth = saved;
      return line;
    });
    return `struct({\n${lines.join('\n')}\n${'  '.repeat(depth)}})`;
  }
}

function generate(api, [lo, hi]) {
  const req = readSpec(`${api}Request.json`);
  const res = readSpec(`${api}Response.json`);
  const flex = range(req.flexibleVersions);
  const rg = new Gen(req, [lo, hi], false);
  const sg = new Gen(res, [lo, hi], true);
  const reqCodec = rg.struct(req.fields);
  const resCodec = sg.struct(res.fields);
  const imports = [...new Set([...rg.used, ...sg.used, 'type Infer'])].sort((a, b) => a.replace('type ', '').localeCompare(b.replace('type ', '')));
  const body = `/**
 * ${api} (key ${req.apiKey}) v${lo}-v${hi}: request and response of every version this broker serves, flexible from v${flex ? flex[0] : 'none'}.
 * Generated by scripts/generate-messages.mjs from ${label} ${api}Request.json and ${api}Response.json; do not edit.
 */
import { ${imports.join(', ')} } from '../schema';

export const apiKey = ${req.apiKey};
/** First flexible version (KIP-482), or -1 when none is. */
export const flexibleSince = ${flex ? flex[0] : -1};
export const request = ${reqCodec};
export const response = ${resCodec};
export type ${api}Request = Infer<typeof request>;
export type ${api}Response = Infer<typeof response>;
`;
  fs.writeFileSync(path.join(OUT, `${kebab(api)}.ts`), body);
}

for (const [api, r] of Object.entries(served)) generate(api, r);
const index = Object.keys(served)
  .sort()
  .map((api) => `export * as ${camel(api)} from './${kebab(api)}';`)
  .join('\n');
fs.writeFileSync(
  path.join(OUT, 'index.ts'),
  `/** Every generated message module, by API name (generated by scripts/generate-messages.mjs; do not edit). */\n${index}\n`,
);
console.log(`wrote ${Object.keys(served).length} message files to ${OUT}`);
