/**
 * What a person starting a server reads when it cannot start: one line
 * naming the cause and what to change, never a stack.
 */

/** A --port value: a whole number 0..65535 (0 lets the system choose). Throws a one-line Error otherwise. */
export function parsePort(text: string, flag = '--port'): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new Error(`${flag} ${text.slice(0, 32)} 不是端口号 (0–65535)`);
  return port;
}

interface Where {
  readonly host: string;
  readonly port: number;
  /** The database URL the server opens, when it opens one. */
  readonly db?: string;
}

type NodeError = Error & { code?: string; syscall?: string; errors?: unknown[] };

/** The password of a database URL is nobody's business on a terminal. */
function redacted(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** The first error with a code: connecting to "localhost" fails as an AggregateError of each address's error. */
function rootCause(error: unknown): NodeError {
  const e: NodeError = error instanceof Error ? error : new Error(String(error));
  if (!e.code && Array.isArray(e.errors)) {
    const inner = e.errors.find((x: unknown): x is NodeError => x instanceof Error && 'code' in x);
    if (inner) return inner;
  }
  return e;
}

const DATABASE_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: '没有数据库在该地址监听',
  ENOTFOUND: '主机名无法解析',
  ETIMEDOUT: '连接超时',
  EHOSTUNREACH: '主机不可达',
  '28P01': '用户名或密码错误',
  '28000': '该用户无权连接',
  '3D000': '数据库不存在',
  SQLITE_CANTOPEN: '无法打开 SQLite 文件',
};

export function startProblem(error: unknown, where: Where): string {
  const e = rootCause(error);
  const address = `${where.host}:${where.port}`;
  const firstLine = (e.message || String(e.code ?? '未知错误')).split('\n')[0] ?? '';
  if (
    e.syscall === 'listen' ||
    e.code === 'EADDRINUSE' ||
    e.code === 'EACCES' ||
    e.code === 'EADDRNOTAVAIL'
  ) {
    if (e.code === 'EADDRINUSE') return `端口 ${address} 已被占用: 换一个 --port, 或先停掉占用它的程序`;
    if (e.code === 'EACCES') return `无权监听 ${address} (1024 以下的端口需要管理员权限): 换一个 --port`;
    if (e.code === 'EADDRNOTAVAIL') return `本机没有地址 ${where.host}: 检查 --host`;
    return `无法监听 ${address}: ${firstLine}`;
  }
  const dbReason = e.code ? DATABASE_CODES[e.code] : undefined;
  if (where.db && (dbReason || e.syscall === 'connect' || e.syscall === 'getaddrinfo')) {
    return `无法连接数据库 ${redacted(where.db)}: ${dbReason ?? firstLine} (${e.code ?? 'error'}); 检查 --db 或 ONEPAY_DB`;
  }
  return firstLine;
}
