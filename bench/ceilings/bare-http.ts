/**
 * Ceiling: bare node:http reading the request body and answering a JSON of
 * the platform's answer size. Nothing a Node server does per request can be
 * cheaper, so it bounds every figure of the same run.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { paddedJson } from './pad.js';

const reply = Buffer.from(paddedJson(Number(process.env['BENCH_REPLY_BYTES'] ?? '600')));
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': reply.length });
    res.end(reply);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
