import { connect, type Socket } from 'node:net';

export interface Reply {
  readonly status: number;
  readonly body: Buffer;
}

/** Far above any answer of ours; a peer sending more is not one we measure. */
const MAX_REPLY_BYTES = 1024 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection, one request in flight, answers framed
 * by Content-Length. Node's http client costs the load generator several
 * times the CPU of this, and on two shared cores every microsecond the
 * generator burns is taken from the server being measured.
 */
export class Conn {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve(reply: Reply): void; reject(error: Error): void } | undefined;
  private readonly head: string;
  private closedWith: Error | undefined;

  private constructor(socket: Socket, host: string, path: string) {
    this.socket = socket;
    this.head =
      `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n` +
      'Content-Type: application/json; charset=utf-8\r\nContent-Length: ';
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error) => {
      this.closedWith ??= error;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(host: string, port: number, path: string): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new Conn(socket, `${host}:${port}`, path)));
      socket.once('error', reject);
    });
  }

  post(body: string | Buffer): Promise<Reply> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.waiting) return Promise.reject(new Error('one request at a time per connection'));
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      // One write, one segment: with Nagle off, two writes would be two packets and two wakeups.
      this.socket.write(Buffer.concat([Buffer.from(`${this.head}${bytes.length}\r\n\r\n`, 'latin1'), bytes]));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffered.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const length = match ? Number(match[1]) : -1;
    if (length < 0 || length > MAX_REPLY_BYTES) {
      this.socket.destroy(new Error(`unframed or oversized answer (${head.split('\r\n')[0]})`));
      return;
    }
    const total = end + 4 + length;
    if (this.buffered.length < total) return;
    const body = this.buffered.subarray(end + 4, total);
    this.buffered = this.buffered.subarray(total);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ status, body });
  }
}
