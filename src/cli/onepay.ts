import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMasterKey } from '../platform/apps/master-key.js';
import { AppRegistry } from '../platform/apps/registry.js';
import { withHisLink } from '../platform/apps/settings.js';
import { createLogger } from '../platform/log/logger.js';
import { openStore } from '../platform/store/index.js';
import { startPlatform } from '../server/serve.js';
import { serveWithWorkers } from '../server/workers.js';
import { packageVersion } from '../version.js';
import { APP_ADMIN_USAGE, runAppAdmin } from './app-admin.js';
import { APP_CHANNEL_USAGE, runAppChannelCli } from './app-channel.js';
import { HIS_SIM_DEFAULT_PORT } from './his-sim.js';
import { RECONCILE_USAGE, runReconcileCli } from './reconcile.js';
import { parsePort, startProblem } from './start-problem.js';
import { newPassword, runUserCli, USER_USAGE } from './user.js';

const USAGE = `usage:
  onepay serve [--host 127.0.0.1] [--port 1301] [--db sqlite:./data/onepay.db | postgres://…]
               [--dev-app APPID:SECRET] [--data-dir ./data] [--public-url http://host:1301]
               [--workers N]   (PostgreSQL only: N processes on one port)
  onepay app create --name 'XX医院' [--sandbox] [--channels CASH,POS,ALI_QR,…] [--his-url http://his:${HIS_SIM_DEFAULT_PORT} --his-key K] [--db …]
                    (live unless --sandbox: a sandbox app takes only simulated money)
  onepay app list [--db …]
${APP_CHANNEL_USAGE}
${APP_ADMIN_USAGE}
${USER_USAGE}
${RECONCILE_USAGE}
  onepay his-sim [--port ${HIS_SIM_DEFAULT_PORT}] [--key K]
  onepay sandbox pay <qrcode URL> [--wallet alipay|wechat|unionpay] [--fail]
  onepay gateway-double alipay|wechat|unionpay [--port 1310|1311|1312] [--out DIR]
  onepay --help | --version
environment:
  ONEPAY_MASTER_KEY       seals app secrets and merchant keys (else data/master.key, created 0600)
  ONEPAY_DB               the database URL (sqlite:… or postgres://…)
  ONEPAY_DATA_DIR         where the SQLite file and master key live (default ./data)
  ONEPAY_HOST, ONEPAY_PORT  where serve listens (default 127.0.0.1:1301)
  ONEPAY_WORKERS          platform processes on one port (PostgreSQL)
  ONEPAY_OPERATOR_TOKEN   Bearer token for the operator pages
  ONEPAY_MAX_CONNECTIONS  open connections before new ones are refused (default 800)
  ONEPAY_LOG_LEVEL        pino level (info by default)`;

function dbUrl(db: string | undefined, dataDir: string): string {
  return db ?? process.env['ONEPAY_DB'] ?? `sqlite:${join(dataDir, 'onepay.db')}`;
}

export async function runOnepayCli(argv: readonly string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'serve') {
    const { values } = parseArgs({
      args: argv.slice(1) as string[],
      options: {
        host: { type: 'string', default: process.env['ONEPAY_HOST'] ?? '127.0.0.1' },
        port: { type: 'string', default: process.env['ONEPAY_PORT'] ?? '1301' },
        db: { type: 'string' },
        'data-dir': { type: 'string', default: process.env['ONEPAY_DATA_DIR'] ?? 'data' },
        'dev-app': { type: 'string', multiple: true },
        'public-url': { type: 'string' },
        workers: { type: 'string', default: process.env['ONEPAY_WORKERS'] ?? '1' },
      },
    });
    const dataDir = values['data-dir'];
    const devApps = [...(values['dev-app'] ?? [])];
    if (process.env['ONEPAY_DEV_APP']) devApps.push(...process.env['ONEPAY_DEV_APP'].split(','));
    const workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
      console.error('onepay serve: --workers takes a whole number from 1 to 64');
      return 2;
    }
    let port: number;
    try {
      port = parsePort(values.port);
    } catch (error) {
      console.error(`onepay serve: ${(error as Error).message}`);
      return 2;
    }
    const options = {
      host: values.host,
      port,
      db: dbUrl(values.db, dataDir),
      dataDir,
      devApps,
      ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
    };
    let running: { close(): Promise<void> };
    try {
      running =
        workers > 1 ? await serveWithWorkers(options, workers, createLogger()) : await startPlatform(options);
    } catch (error) {
      // A taken port or an unreachable database is a person's to fix: one line, no stack.
      console.error(`onepay serve: ${startProblem(error, options)}`);
      return 1;
    }
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await running.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return new Promise<number>(() => {}); // serves until signalled
  }
  if (command === 'his-sim') {
    const { runHisSimCli } = await import('./his-sim.js');
    return runHisSimCli(argv.slice(1));
  }
  if (command === 'gateway-double') {
    const { isDoubledGateway, runGatewayDoubleCli, GATEWAY_DOUBLE_USAGE } = await import(
      './gateway-double.js'
    );
    if (isDoubledGateway(sub)) return runGatewayDoubleCli(sub, rest);
    console.error(`usage:\n${GATEWAY_DOUBLE_USAGE}`);
    return 2;
  }
  if (command === 'sandbox') {
    const { runSandboxCli } = await import('./sandbox.js');
    return runSandboxCli(argv.slice(1));
  }
  if (
    command === 'app' &&
    (sub === 'disable' || sub === 'enable' || sub === 'rotate-secret' || sub === 'set')
  ) {
    const { values, positionals } = parseArgs({
      args: rest as string[],
      allowPositionals: true,
      options: {
        grace: { type: 'string' },
        db: { type: 'string' },
        'data-dir': { type: 'string', default: process.env['ONEPAY_DATA_DIR'] ?? 'data' },
      },
    });
    const [appid, ...pairs] = positionals;
    if (!appid) {
      console.error(`app ${sub} needs an appid`);
      return 2;
    }
    const dataDir = values['data-dir'];
    const store = await openStore(dbUrl(values.db, dataDir));
    try {
      const apps = new AppRegistry(store, loadMasterKey({ dataDir }));
      return await runAppAdmin(apps, sub, appid, pairs, {
        ...(values.grace ? { grace: values.grace } : {}),
        now: Date.now(),
      });
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    } finally {
      await store.close();
    }
  }
  if (command === 'app' && sub === 'channel') {
    const { values, positionals } = parseArgs({
      args: rest as string[],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        'data-dir': { type: 'string', default: process.env['ONEPAY_DATA_DIR'] ?? 'data' },
      },
    });
    const dataDir = values['data-dir'];
    const store = await openStore(dbUrl(values.db, dataDir));
    try {
      return await runAppChannelCli(store, dataDir, positionals);
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    } finally {
      await store.close();
    }
  }
  if (command === 'app' && (sub === 'create' || sub === 'list')) {
    const { values } = parseArgs({
      args: rest as string[],
      options: {
        name: { type: 'string' },
        channels: { type: 'string' },
        sandbox: { type: 'boolean', default: false },
        'his-url': { type: 'string' },
        'his-key': { type: 'string' },
        db: { type: 'string' },
        'data-dir': { type: 'string', default: process.env['ONEPAY_DATA_DIR'] ?? 'data' },
      },
    });
    const dataDir = values['data-dir'];
    const store = await openStore(dbUrl(values.db, dataDir));
    try {
      const registry = new AppRegistry(store, loadMasterKey({ dataDir }));
      if (sub === 'list') {
        for (const app of await registry.list())
          console.log(`${app.appid}\t${app.mode}\t${app.name}\t${app.channels.join(',')}`);
        return 0;
      }
      if (!values.name) {
        console.error('app create needs --name');
        return 2;
      }
      if (Boolean(values['his-url']) !== Boolean(values['his-key'])) {
        console.error('--his-url and --his-key go together');
        return 2;
      }
      let config = {};
      try {
        if (values['his-url'] && values['his-key'])
          config = withHisLink(config, values['his-url'], values['his-key']);
      } catch (error) {
        console.error((error as Error).message);
        return 2;
      }
      const created = await registry.create({
        name: values.name,
        mode: values.sandbox ? 'sandbox' : 'live',
        ...(values.channels ? { channels: values.channels.split(',').map((c) => c.trim()) } : {}),
        config,
      });
      // The secret is shown once; only its sealed form is kept.
      console.log(JSON.stringify({ ...created, mode: values.sandbox ? 'sandbox' : 'live' }, null, 2));
      return 0;
    } finally {
      await store.close();
    }
  }
  if (command === 'reconcile') {
    const { values, positionals } = parseArgs({
      args: argv.slice(1) as string[],
      allowPositionals: true,
      options: {
        'his-csv': { type: 'string' },
        db: { type: 'string' },
        'data-dir': { type: 'string', default: process.env['ONEPAY_DATA_DIR'] ?? 'data' },
      },
    });
    const dataDir = values['data-dir'];
    const store = await openStore(dbUrl(values.db, dataDir));
    try {
      const [appid, day] = positionals;
      return await runReconcileCli(
        store,
        dataDir,
        {
          ...(appid ? { appid } : {}),
          ...(day ? { day } : {}),
          ...(values['his-csv'] ? { hisCsv: values['his-csv'] } : {}),
        },
        (path) => readFileSync(path, 'utf8'),
      );
    } finally {
      await store.close();
    }
  }
  if (command === 'user') {
    const { values, positionals } = parseArgs({
      args: rest as string[],
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        db: { type: 'string' },
        'data-dir': { type: 'string', default: process.env['ONEPAY_DATA_DIR'] ?? 'data' },
      },
    });
    const store = await openStore(dbUrl(values.db, values['data-dir']));
    try {
      return await runUserCli(store, sub, positionals[0], values.role, newPassword);
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    } finally {
      await store.close();
    }
  }
  if (command === '--version' || command === '-v') {
    console.log(packageVersion());
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  console.error(USAGE);
  return 2;
}
