'use strict';
// Readiness probe for kafka.sh: succeeds (exit 0) once the broker at host:port answers a Metadata
// request that lists at least one broker and a controller. Raw socket, no client library, so it
// stays fast and quiet. Usage: node probe.js <host> <port> [timeoutMs]
const net = require('node:net');

const [host = '127.0.0.1', portText = '19092', timeoutText = '3000'] = process.argv.slice(2);
const port = Number(portText);
const timeoutMs = Number(timeoutText);

/** Metadata v4 (served by Kafka 2.x..4.x), header v1: all topics (null array), no auto-creation. */
function metadataRequest() {
  const clientId = Buffer.from('kstreams-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key Metadata
  o = body.writeInt16BE(4, o); // version
  o = body.writeInt32BE(1, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(-1, o); // topics: null = all
  body.writeInt8(0, o); // allow_auto_topic_creation
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** Reads brokers count and controller id out of a Metadata v4 response body. */
function parseMetadata(frame) {
  let o = 4; // correlation id
  o += 4; // throttle_time_ms
  const brokers = frame.readInt32BE(o);
  o += 4;
  for (let i = 0; i < brokers; i++) {
    o += 4; // node id
    const hostLen = frame.readInt16BE(o);
    o += 2 + hostLen + 4; // host, port
    const rackLen = frame.readInt16BE(o);
    o += 2 + Math.max(rackLen, 0);
  }
  const clusterLen = frame.readInt16BE(o);
  o += 2 + Math.max(clusterLen, 0);
  const controllerId = frame.readInt32BE(o);
  return { brokers, controllerId };
}

const socket = net.connect({ host, port });
let buffered = Buffer.alloc(0);
const timer = setTimeout(() => finish(1, 'timeout'), timeoutMs);

function finish(code, why) {
  clearTimeout(timer);
  socket.destroy();
  if (code !== 0 && process.env.PROBE_VERBOSE) process.stderr.write(`probe: ${why}\n`);
  process.exitCode = code;
}

socket.on('connect', () => socket.write(metadataRequest()));
socket.on('error', (err) => finish(1, err.message));
socket.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  if (buffered.length < 4) return;
  const size = buffered.readInt32BE(0);
  if (buffered.length < 4 + size) return;
  try {
    const { brokers, controllerId } = parseMetadata(buffered.subarray(4, 4 + size));
    if (brokers > 0 && controllerId >= 0) finish(0, 'ok');
    else finish(1, `not ready: brokers=${brokers} controller=${controllerId}`);
  } catch (err) {
    finish(1, `bad response: ${err.message}`);
  }
});
