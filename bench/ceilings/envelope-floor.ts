/**
 * Ceiling: the least any server speaking the spec's sealed envelope must do
 * per call, in one process: node:http, open the request's envelope (HMAC
 * check, decryption, JSON parse) and seal a recharge's answer. No validation,
 * no replay check, no database. What the platform does per call is this plus
 * its work, so its query can never be faster than this floor; the query
 * target (≥ 0.5× Fastify) is read against it in docs/benchmarks.md.
 * The app's secret comes in BENCH_FLOOR_SECRET; the load is real sealed requests.
 * BENCH_FLOOR_PROCESSES=N serves from N processes on one port through
 * node:cluster, as `serve --workers N` does (bench --floor-processes N).
 */
import cluster from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  keysFromSecret,
  openEnvelope,
  parseEnvelope,
  sealResponse,
} from '../../src/protocol/envelope/index.js';
import { RECHARGE_ANSWER } from '../lib/recharge-answer.js';

const secret = process.env['BENCH_FLOOR_SECRET'];
if (!secret) throw new Error('BENCH_FLOOR_SECRET is required');
const keys = keysFromSecret(secret, 'AES');

function answer(raw: string): { status: number; body: string } {
  const parsed = parseEnvelope(raw);
  if (!parsed.ok) return { status: 400, body: JSON.stringify(parsed.answer) };
  const opened = openEnvelope(parsed.env, keys, { direction: 'req', now: Math.floor(Date.now() / 1000) });
  if (!opened.ok) return { status: 401, body: JSON.stringify(opened.answer) };
  JSON.parse(opened.plaintext);
  const sealed = sealResponse({
    appid: parsed.env.appid,
    suite: parsed.env.suite,
    keys,
    plaintext: RECHARGE_ANSWER,
    reqNonce: parsed.env.nonce,
  });
  return { status: 200, body: JSON.stringify(sealed) };
}

function serve(port: number, listening: (port: number) => void): void {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { status, body } = answer(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => listening((server.address() as AddressInfo).port));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

const announce = (port: number) => process.stdout.write(`${JSON.stringify({ port })}\n`);
const processes = Number(process.env['BENCH_FLOOR_PROCESSES'] ?? '1');
if (processes <= 1) {
  serve(0, announce);
} else if (cluster.isPrimary) {
  // Port 0 in a cluster: the primary picks one port and every worker shares it.
  let ready = 0;
  cluster.on('message', (_worker, port: number) => {
    if (++ready === processes) announce(port);
  });
  for (let i = 0; i < processes; i++) cluster.fork();
  process.once('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  serve(0, (port) => process.send?.(port));
}
