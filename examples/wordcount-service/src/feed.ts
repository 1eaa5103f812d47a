/**
 * Writes lines of text to the WordCount input topic: the arguments after the flags, or stdin line by line.
 *
 *   node examples/wordcount-service/dist/feed.js --bootstrap 127.0.0.1:9092 "hello kafka streams" "all streams lead to kafka"
 *   cat book.txt | node examples/wordcount-service/dist/feed.js
 */
import { createInterface } from 'node:readline';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { INPUT_TOPIC } from './service';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--bootstrap');
  const bootstrapServers = i >= 0 ? args.splice(i, 2)[1]! : '127.0.0.1:9092';
  const producer = new Kafka({ clientId: 'wordcount-feed', brokers: [bootstrapServers], logLevel: logLevel.ERROR }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const send = (lines: string[]): Promise<unknown> => producer.send({ topic: INPUT_TOPIC, messages: lines.map((value) => ({ value })) });
  if (args.length > 0) {
    await send(args);
  } else {
    const batch: string[] = [];
    for await (const line of createInterface({ input: process.stdin })) {
      batch.push(line);
      if (batch.length >= 500) await send(batch.splice(0));
    }
    if (batch.length > 0) await send(batch);
  }
  await producer.disconnect();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
