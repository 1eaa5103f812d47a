/** Generates the StreamsConfig reference (a Markdown table) from the key table, so docs never drift from code. */
import { STREAMS_CONFIG_KEYS, type ConfigKeySpec } from './config-keys';

function defaultText(spec: ConfigKeySpec): string {
  if (spec.defaultDoc !== undefined) return spec.defaultDoc;
  if (spec.required) return '(required)';
  const v = spec.defaultValue;
  if (v === null) return 'null';
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * The config reference as a Markdown table: camelCase key, Kafka key, default, importance, description.
 *
 * @example
 * fs.writeFileSync('docs/config.md', streamsConfigMarkdown());
 */
export function streamsConfigMarkdown(): string {
  const rows = Object.values(STREAMS_CONFIG_KEYS) as ConfigKeySpec[];
  const lines = ['| key | Kafka key | default | importance | description |', '|---|---|---|---|---|'];
  for (const spec of rows) {
    const values = spec.values !== undefined && spec.kind === 'enum' ? ` One of: ${spec.values.map((v) => `\`${v}\``).join(', ')}.` : '';
    const deprecated = spec.deprecatedFor !== undefined ? ' **Deprecated.**' : '';
    lines.push(
      `| \`${spec.name}\` | ${spec.kafkaName === null ? '—' : `\`${spec.kafkaName}\``} | ${defaultText(spec).replace(/\|/g, '\\|')} | ` +
        `${spec.importance} | ${spec.doc.replace(/\|/g, '\\|')}${values}${deprecated} |`,
    );
  }
  lines.push(
    '',
    'Client overrides: prefix a Kafka client setting with `consumer.`, `main.consumer.`, `restore.consumer.`, ' +
      '`global.consumer.`, `producer.`, `admin.` or `topic.` (or nest it under `consumer`, `mainConsumer`, …).',
  );
  return lines.join('\n') + '\n';
}
