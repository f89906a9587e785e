import { request } from 'node:http';

/**
 * The pid of the platform process that answered GET /health, on a fresh
 * connection each time, so the cluster may hand it to any worker. Undefined
 * when no answer came: a connection handed to a worker at the moment it died
 * is never answered (node:cluster's primary keeps it), as a client's request
 * would be lost in any crash; the client's timeout and a query settle it.
 */
export function healthPid(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(`${url}/health`, { agent: false, timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => {
        try {
          resolve(Number((JSON.parse(body) as { pid: number }).pid));
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
