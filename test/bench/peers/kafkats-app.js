// One pipeline of `npm run bench:peers` in @kafkats/flow (npm):
//   node kafkats-app.js map|wordcount BOOTSTRAP INPUT OUTPUT APPLICATION_ID at_least_once|exactly_once STATE_DIR
// map:       stream(input).mapValues(toUpperCase).to(output)
// wordcount: flatMapValues(split) -> groupBy(word) -> count() -> toStream().to(output), the count as JSON text.
// @kafkats/flow 0.12.0 ships in-memory state stores only (changelog-backed), no RocksDB, and no record cache.
// Commit interval 1000 ms. Prints READY once start() has returned; closes on SIGTERM.
'use strict';
const { flow, string, json } = require('@kafkats/flow');

async function main() {
  const [kind, bootstrap, input, output, applicationId, guarantee, stateDir] = process.argv.slice(2);
  const app = flow({
    applicationId,
    client: { brokers: [bootstrap], clientId: applicationId, logLevel: 'error' },
    processingGuarantee: guarantee,
    commitIntervalMs: 1000,
    stateDir,
    consumer: { autoOffsetReset: 'earliest' },
  });
  const source = app.stream(input, { key: string(), value: string(), offsetReset: 'earliest' });
  if (kind === 'map') {
    source.mapValues((v) => v.toUpperCase()).to(output, { key: string(), value: string() });
  } else if (kind === 'wordcount') {
    source
      .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((w) => w.length > 0))
      .groupBy((_k, w) => w, { key: string(), value: string() })
      .count({ key: string(), value: json() })
      .toStream()
      .to(output, { key: string(), value: json() });
  } else {
    throw new Error(`unknown pipeline ${kind}`);
  }
  let closing = false;
  process.on('SIGTERM', () => {
    if (closing) return;
    closing = true;
    app.close().finally(() => process.exit(0));
  });
  await app.start();
  process.stdout.write('READY\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
