import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadMasterKey } from '../platform/apps/master-key.js';
import { DeskRecordChannels } from '../platform/channels/desk-record/index.js';
import { SandboxChannels } from '../platform/channels/sandbox/index.js';
import { purgeNonces } from '../platform/gateway/nonces.js';
import { buildHttp } from '../platform/http.js';
import { createLogger, type Logger } from '../platform/log/logger.js';
import { sealPlainNotifyConfigs } from '../platform/notify/config.js';
import { startNotifyWorker } from '../platform/notify/worker.js';
import { Platform, type PlatformSettings } from '../platform/platform.js';
import { sealExistingPatientNumbers } from '../platform/privacy/seal-existing.js';
import { startReconcileSchedule } from '../platform/reconcile/schedule.js';
import { groupCommit } from '../platform/store/group-commit.js';
import { openStore, type Store, sqliteFile } from '../platform/store/index.js';
import { holdSqliteOwnership, type SqliteOwnership } from '../platform/store/sqlite-owner.js';
import { onChannelNotify } from '../platform/trades/notify.js';
import { sweepPending } from '../platform/trades/sweep.js';
import { webRoutes } from '../web/routes.js';
import { refuseDocumentedSecrets, registerDevApps } from './dev-apps.js';

export interface ServeOptions {
  readonly host?: string;
  readonly port?: number;
  /** sqlite:<path> or postgres://… */
  readonly db?: string;
  /** Where the SQLite file and master key live by default. */
  readonly dataDir?: string;
  /** APPID:SECRET pairs registered at start, for local development and tests. */
  readonly devApps?: readonly string[];
  readonly publicUrl?: string;
  readonly log?: Logger;
  readonly pgSchema?: string;
  readonly settings?: Partial<PlatformSettings>;
  /**
   * The apps were prepared by whoever started this process (a worker's primary):
   * development apps, sealing and the exposure checks are not done again.
   */
  readonly prepared?: boolean;
  /** false: a worker of several, whose primary says "listening" and "stopped" for all (at info). */
  readonly announce?: boolean;
  /** A worker of `serve --workers` (workers.ts): its /metrics answers for every worker. */
  readonly clusterWorker?: boolean;
}

export interface RunningPlatform {
  readonly url: string;
  readonly platform: Platform;
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 60_000;

/** The database URL the options name, SQLite in the data folder by default. */
export function serveDbUrl(options: ServeOptions): string {
  return options.db ?? `sqlite:${join(options.dataDir ?? 'data', 'onepay.db')}`;
}

interface OpenedPlatform {
  readonly platform: Platform;
  readonly store: Store;
  readonly ownership: SqliteOwnership | undefined;
}

/**
 * The store migrated, the master key loaded (created on first start) and the
 * development apps registered: everything before serving. Several workers
 * (workers.ts) have it done once, by their primary, so they do not race to
 * create the same key file or rows.
 */
export async function openPlatform(options: ServeOptions, log: Logger): Promise<OpenedPlatform> {
  const dataDir = options.dataDir ?? 'data';
  const dbUrl = serveDbUrl(options);
  // Taken before the store is opened: a file another platform serves is not even migrated.
  const file = sqliteFile(dbUrl);
  const ownership = file ? holdSqliteOwnership(file) : undefined;
  let store: Store;
  try {
    store = await openStore(dbUrl, { ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}) });
  } catch (error) {
    ownership?.release();
    throw error;
  }
  const platform = new Platform({
    store,
    masterKey: loadMasterKey({ dataDir }),
    log,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  if (!options.prepared) {
    try {
      await prepareApps(platform, options.host ?? '127.0.0.1', options.devApps ?? []);
    } catch (error) {
      await store.close();
      ownership?.release();
      throw error;
    }
  }
  return { platform, store, ownership };
}

/**
 * Once per start (not per worker): secrets and patient numbers from before
 * sealing sealed, dev apps registered, exposure checked.
 */
async function prepareApps(platform: Platform, host: string, devApps: readonly string[]): Promise<void> {
  const sealed =
    (await platform.apps.sealPlainKeys()) + (await sealPlainNotifyConfigs(platform, platform.clock()));
  if (sealed > 0) platform.log.info({ rows: sealed }, 'secrets stored in clear are sealed now');
  const numbers = await sealExistingPatientNumbers(platform.store.db, platform.patientData, platform.clock());
  if (numbers > 0)
    platform.log.info({ rows: numbers }, 'patient ID and phone numbers stored in clear are sealed now');
  await registerDevApps(platform, host, devApps);
  await refuseDocumentedSecrets(platform, host);
}

export async function startPlatform(options: ServeOptions = {}): Promise<RunningPlatform> {
  const log = options.log ?? createLogger();
  const { platform, store, ownership } = await openPlatform(options, log);
  const sandbox = new SandboxChannels({
    store,
    publicUrl: () => platform.publicUrl,
    clock: platform.clock,
    notify: (traceNo) => onChannelNotify(platform, traceNo),
    onNotifyError: (traceNo, err) =>
      log.warn({ err, traceNo }, 'channel notification not handled; the sweep will'),
  });
  platform.channels.useSandbox(sandbox);
  platform.channels.useDeskRecord(new DeskRecordChannels(store, platform.clock));
  const http = buildHttp(platform, {
    routes: webRoutes(sandbox),
    ...(options.clusterWorker ? { clusterWorker: true } : {}),
  });
  await listenQuietly(http, log, options.host ?? '127.0.0.1', options.port ?? 1301);
  const address = http.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  if (!options.publicUrl) platform.publicUrl = url;
  if (!options.publicUrl && (address.address === '0.0.0.0' || address.address === '::')) {
    // QR codes and desk links would say 0.0.0.0, which no phone or workstation can open.
    log.warn(
      { url },
      'listening on all addresses without --public-url: QR codes and desk links will not be reachable',
    );
  }
  const sweeper = setInterval(() => {
    purgeNonces(store, Math.floor(platform.clock() / 1000), platform.windowSeconds).catch((err: unknown) =>
      log.warn({ err }, 'nonce purge failed'),
    );
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  let sweeping: Promise<unknown> | undefined;
  const recovery = setInterval(() => {
    if (sweeping) return; // one sweep at a time; a slow channel must not pile them up
    sweeping = sweepPending(platform)
      .catch((err: unknown) => log.warn({ err }, 'recovery sweep failed'))
      .finally(() => {
        sweeping = undefined;
      });
  }, platform.settings.sweepIntervalMs);
  recovery.unref();
  const notifier = startNotifyWorker(platform);
  const reconciler = startReconcileSchedule(platform);
  log[options.announce === false ? 'debug' : 'info'](
    { url, store: store.where },
    'onepay platform listening',
  );
  const sandboxApps = (await platform.apps.list())
    .filter((app) => app.mode === 'sandbox')
    .map((app) => app.appid);
  // Said at every start: these apps take simulated money only, and nobody should mistake them for live ones.
  if (sandboxApps.length > 0)
    log.warn({ apps: sandboxApps }, 'sandbox apps (测试环境): their channels are simulated');
  return {
    url,
    platform,
    async close() {
      clearInterval(sweeper);
      clearInterval(recovery);
      await notifier.stop();
      await reconciler.stop();
      await sweeping;
      await http.close();
      // Lazy units (nonce claims of queries) still waiting for company are written, not dropped.
      await groupCommit(store).flush();
      await store.close();
      ownership?.release();
      log[options.announce === false ? 'debug' : 'info']({ url }, 'onepay platform stopped');
    },
  };
}

/**
 * Fastify says "Server listening at …" once per network interface; the
 * platform says it once, with its store, after the listen. Its logger is
 * raised to warn for the listen only: nothing else runs yet, and a warning
 * or error still shows.
 */
async function listenQuietly(http: FastifyInstance, log: Logger, host: string, port: number): Promise<void> {
  const level = log.level;
  if (log.isLevelEnabled('info')) log.level = 'warn';
  try {
    await http.listen({ host, port });
  } finally {
    log.level = level;
  }
}
