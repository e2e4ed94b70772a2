// (a) The HTTP ceiling: a bare Fastify app answering every GET with one fixed 1 KiB JSON body.
// Run as a child process (node --import tsx test/bench/raw-fastify.ts PORT), like the server under test.
// The body is serialized once: this measures HTTP handling only, none of an application's work.
import Fastify from 'fastify';
import { fixedJsonBody, PAYLOAD_BYTES, RAW_PATH } from './fixtures.js';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: raw-fastify.ts PORT');
  process.exit(2);
}
const body = fixedJsonBody(PAYLOAD_BYTES);
const app = Fastify({ logger: false });
app.get(RAW_PATH, (_req, reply) => reply.header('content-type', 'application/json').send(body));
await app.listen({ host: '127.0.0.1', port });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
