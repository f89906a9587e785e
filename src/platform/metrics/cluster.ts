import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { instruments } from './instruments.js';

/**
 * `serve --workers N`: a scrape reaches whichever worker node:cluster hands
 * the connection to, and each worker counts only its own calls. So that every
 * scrape tells the whole platform, the worker asks the primary, which gathers
 * every worker's metrics (prom-client's AggregatorRegistry) and adds them up
 * as each metric's `aggregator` says.
 */
const ASK = 'onepay:metrics?';
const ANSWER = 'onepay:metrics';
/** prom-client gives up on a worker after 5 s; a little more here, so its error arrives rather than ours. */
const ASK_TIMEOUT_MS = 6_000;

interface Answer {
  readonly type: typeof ANSWER;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

/** In the primary: answers the workers' requests with every worker's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK || message.id === undefined) return;
    const id = message.id;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id, ...answer } satisfies Answer);
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: String(error) }),
    );
  });
}

let asked = 0;
const waiting = new Map<number, (answer: Answer) => void>();

/** In a worker: its registry answers the primary's gathering, and it may ask for everyone's. */
export function joinClusterMetrics(): void {
  AggregatorRegistry.setRegistries([instruments.registry]);
  // Constructing one adds prom-client's listener that answers the primary's gathering.
  new AggregatorRegistry();
  process.on('message', (message: Partial<Answer>) => {
    if (message?.type !== ANSWER || message.id === undefined) return;
    waiting.get(message.id)?.(message as Answer);
  });
}

/** In a worker: every worker's metrics, added up by the primary. */
export function metricsOfAllWorkers(): Promise<string> {
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the primary did not answer with the workers’ metrics'));
    }, ASK_TIMEOUT_MS);
    waiting.set(id, (answer) => {
      clearTimeout(timer);
      waiting.delete(id);
      if (answer.text !== undefined) resolve(answer.text);
      else reject(new Error(answer.error ?? 'no metrics'));
    });
    process.send?.({ type: ASK, id });
  });
}
