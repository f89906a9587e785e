/**
 * Ceiling: Fastify with the platform's route, body parser and options, doing
 * no work: the cost of the framework alone, which the query target is a
 * fraction of.
 */

import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { API_PATH, BODY_LIMIT_BYTES } from '../../src/platform/http.js';
import { paddedJson } from './pad.js';

const reply = paddedJson(Number(process.env['BENCH_REPLY_BYTES'] ?? '600'));
const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, keepAliveTimeout: 65_000 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
app.post(API_PATH, async (_req, res) => res.code(200).type('application/json; charset=utf-8').send(reply));
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
process.once('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});
