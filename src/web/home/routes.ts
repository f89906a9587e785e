import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { esc, page, sendPage } from '../shared/html.js';

/** The package's own guides: docs/ beside src/ and dist/ alike (web/home is two levels down in both). */
const DOCS_DIR = new URL('../../../docs/', import.meta.url);

interface Doc {
  readonly title: string;
  readonly body: string;
}

/** The guides by file name, read once; a Map, so only real file names are found. */
function loadDocs(dir: URL = DOCS_DIR): ReadonlyMap<string, Doc> {
  const docs = new Map<string, Doc>();
  if (!existsSync(dir)) return docs;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.md')) continue;
    const body = readFileSync(new URL(name, dir), 'utf8');
    const title = /^#\s+(.+)$/m.exec(body)?.[1]?.trim() ?? name;
    docs.set(name, { title, body });
  }
  return docs;
}

/** Where a person who typed the platform's address lands: what runs here and where to go next. */
function homePage(docs: ReadonlyMap<string, Doc>): string {
  const guides = [...docs]
    .map(([name, doc]) => `<li><a href="/docs/${esc(name)}">${esc(doc.title)}</a></li>`)
    .join('');
  const body = `<header class="bar"><h1>onepay 医院支付平台</h1></header>
<main class="home">
<section class="card"><h2>运行状态</h2><ul>
<li><a href="/health">/health</a> — 平台与数据库是否可用 (JSON)</li>
</ul></section>
<section class="card"><h2>运维页面</h2><ul>
<li><a href="/ops/notify">/ops/notify</a> — 消息推送投递 (需运维口令)</li>
</ul></section>
<section class="card"><h2>文档</h2>${guides ? `<ul>${guides}</ul>` : '<p class="muted">本安装未带 docs/ 目录.</p>'}</section>
<p class="muted">HIS 通过 payclient 调用 POST /onepay-web/oneweb/oneapi; 收银台与拓展屏地址由交易应答给出.</p>
</main>`;
  return page({ title: 'onepay 医院支付平台', body });
}

export function registerHome(app: FastifyInstance): void {
  const docs = loadDocs();
  const home = homePage(docs);
  app.get('/', async (_req, reply) => sendPage(reply, 200, home));
  app.get<{ Params: { name: string } }>('/docs/:name', async (req, reply) => {
    const doc = docs.get(req.params.name);
    if (!doc) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return reply
      .header('cache-control', 'public, max-age=300')
      .type('text/markdown; charset=utf-8')
      .send(doc.body);
  });
}
