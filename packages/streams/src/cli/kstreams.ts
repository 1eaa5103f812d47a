#!/usr/bin/env node
/**
 * The `kstreams` command. `kstreams describe <module>` loads a module exporting a `Topology` or a
 * `StreamsBuilder` (or a function returning one) and prints its description as text, Mermaid, DOT or one
 * self-contained HTML page; given a text file or `-` (stdin) holding describe() output — from Java Kafka Streams
 * too — it renders that instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamsBuilder } from '../dsl/streams-builder';
import { parseTopologyDescription } from '../topology/description-parser';
import { toDot, toHtml, toMermaid } from '../topology/render';
import { Topology } from '../topology/topology';
import type { TopologyDescription } from '../topology/topology-description';

const FORMATS = ['text', 'mermaid', 'dot', 'html'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: kstreams describe <module | describe-text-file | -> [--format text|mermaid|dot|html] [--export <name>] [--out <file>]

  <module>     a JavaScript module exporting a Topology, a StreamsBuilder, or a function returning either
               (the default export, the one named by --export, or the only such export)
  <file> | -   the text of Topology.describe() (ours or Java Kafka Streams'), from a file or stdin
  --format     text (default), mermaid, dot or html (one self-contained page)
  --out        write to a file instead of stdout`;

/** A usage error: printed with the usage, exit code 2. */
class UsageError extends Error {}

interface Args {
  readonly input: string;
  readonly format: Format;
  readonly exportName: string | null;
  readonly out: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'describe') throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
  let input: string | null = null;
  let format: Format = 'text';
  let exportName: string | null = null;
  let out: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--format' || a.startsWith('--format=')) {
      const f = a.includes('=') ? a.slice(a.indexOf('=') + 1) : value();
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${f}"`);
      format = f as Format;
    } else if (a === '--export') exportName = value();
    else if (a === '--out') out = value();
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (input === null) input = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (input === null) throw new UsageError('describe needs a module, a describe() text file or - for stdin');
  return { input, format, exportName, out };
}

function asTopology(value: unknown): Topology | null {
  if (value instanceof Topology) return value;
  if (value instanceof StreamsBuilder) return value.build();
  return null;
}

async function loadTopology(file: string, exportName: string | null): Promise<Topology> {
  const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { [k: string]: unknown };
  // a CommonJS module comes through import() as { default: module.exports, ...named }
  const exports: { [k: string]: unknown } = { ...(typeof mod['default'] === 'object' && mod['default'] !== null ? (mod['default'] as { [k: string]: unknown }) : {}), ...mod };
  const candidates = exportName !== null ? [exportName] : Object.keys(exports);
  const found: Array<[string, Topology]> = [];
  for (const name of candidates) {
    if (!(name in exports)) throw new UsageError(`${file} has no export "${name}"`);
    let value = exports[name];
    if (typeof value === 'function') {
      try {
        value = (value as () => unknown)();
      } catch {
        continue;
      }
    }
    const t = asTopology(value);
    if (t) found.push([name, t]);
  }
  const preferred = found.find(([n]) => n === 'default') ?? (found.length === 1 ? found[0] : undefined);
  if (!preferred) {
    throw new UsageError(
      found.length === 0
        ? `${file} exports no Topology, StreamsBuilder or function returning one`
        : `${file} exports several topologies (${found.map(([n]) => n).join(', ')}); choose one with --export`,
    );
  }
  return preferred[1];
}

function looksLikeDescribeText(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    const n = fs.readSync(fd, buf, 0, 64, 0);
    return buf.subarray(0, n).toString('utf8').trimStart().startsWith('Topologies:');
  } finally {
    fs.closeSync(fd);
  }
}

/** Renders a description in a format. */
export function render(description: TopologyDescription, format: Format, title: string): string {
  switch (format) {
    case 'text':
      return description.toString();
    case 'mermaid':
      return toMermaid(description);
    case 'dot':
      return toDot(description);
    case 'html':
      return toHtml(description, { title });
  }
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: readonly string[], stdin: NodeJS.ReadableStream = process.stdin, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`kstreams: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    let description: TopologyDescription;
    if (args.input === '-') {
      const chunks: Buffer[] = [];
      for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
      description = parseTopologyDescription(Buffer.concat(chunks).toString('utf8'));
    } else if (!fs.existsSync(args.input)) {
      throw new UsageError(`no such file: ${args.input}`);
    } else if (looksLikeDescribeText(args.input)) {
      description = parseTopologyDescription(fs.readFileSync(args.input, 'utf8'));
    } else {
      description = (await loadTopology(args.input, args.exportName)).describe();
    }
    const title = args.input === '-' ? 'Topology' : path.basename(args.input);
    const text = render(description, args.format, title);
    if (args.out !== null) fs.writeFileSync(args.out, text);
    else stdout.write(text);
    return 0;
  } catch (e) {
    process.stderr.write(`kstreams: ${e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
