// zxcvbn-ts in a worker thread. Building its ranked dictionaries takes ~0.3 s of CPU on a quiet
// machine (over 1 s on a busy one) and ~40 MB of heap, and one estimate up to ~70 ms: on the
// service's event loop the first registration stalled every other request long enough for the
// memory guard to answer 503. One worker, started on the first check, holds the dictionaries; checks
// queue to it, bounded, each with a deadline. It keeps the process alive only while a check waits.
// The worker runs plain CommonJS source given here (no separate file: the same code runs from
// `src` under the tests and from `dist`), loading the library from paths resolved in this module.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from './errors.js';

export interface StrengthVerdict {
  score: number;
  warning: string | null;
  suggestions: string[];
}

export interface StrengthWorkerOptions {
  /** Characters the estimator reads. */
  maxLength: number;
  /** Cap on leet substitutions tried (the estimator's cost grows with them). */
  l33tMaxSubstitutions: number;
  /** Checks waiting at once before new ones are refused (ACCOUNTS_ERR_STORE_UNAVAILABLE). @defaultValue 64 */
  maxPending?: number;
  /** How long one check (the first includes loading the dictionaries) may take. @defaultValue 15000 */
  timeoutMs?: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.core);
const common = require(workerData.common);
const en = require(workerData.en);
const zxcvbn = new ZxcvbnFactory({
  translations: en.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...en.dictionary },
  maxLength: workerData.maxLength,
  l33tMaxSubstitutions: workerData.l33tMaxSubstitutions,
});
parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const r = zxcvbn.check(password, userInputs);
    parentPort.postMessage({ id, score: r.score, warning: r.feedback.warning, suggestions: r.feedback.suggestions });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Pending {
  resolve(v: StrengthVerdict): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

type Reply = { id: number; error: string } | ({ id: number } & StrengthVerdict);

export class StrengthWorker {
  readonly #options: Required<StrengthWorkerOptions>;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | null = null;
  #nextId = 0;

  constructor(options: StrengthWorkerOptions) {
    this.#options = { maxPending: 64, timeoutMs: 15_000, ...options };
  }

  #start(): Worker {
    const require = createRequire(import.meta.url);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        core: require.resolve('@zxcvbn-ts/core'),
        common: require.resolve('@zxcvbn-ts/language-common'),
        en: require.resolve('@zxcvbn-ts/language-en'),
        maxLength: this.#options.maxLength,
        l33tMaxSubstitutions: this.#options.l33tMaxSubstitutions,
      },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const p = this.#pending.get(reply.id);
      if (p === undefined) return;
      this.#settle(reply.id);
      if ('error' in reply) p.reject(new StoreUnavailableError(`password strength check failed: ${reply.error}`));
      else p.resolve({ score: reply.score, warning: reply.warning, suggestions: reply.suggestions });
    });
    const fail = (err: Error): void => {
      if (this.#worker === worker) this.#worker = null; // the next check starts a new one
      for (const [id, p] of [...this.#pending]) {
        this.#settle(id);
        p.reject(new StoreUnavailableError('password strength checker stopped', { cause: err }));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    return worker;
  }

  #settle(id: number): void {
    const p = this.#pending.get(id);
    if (p === undefined) return;
    clearTimeout(p.timer);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker?.unref();
  }

  /** zxcvbn's verdict on `password` with `userInputs` as known words. */
  check(password: string, userInputs: string[]): Promise<StrengthVerdict> {
    if (this.#pending.size >= this.#options.maxPending) {
      return Promise.reject(new StoreUnavailableError('password strength checker is busy; retry later'));
    }
    this.#worker ??= this.#start();
    const worker = this.#worker;
    const id = this.#nextId++;
    return new Promise<StrengthVerdict>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(id);
        reject(new StoreUnavailableError(`password strength check took longer than ${this.#options.timeoutMs} ms`));
      }, this.#options.timeoutMs);
      timer.unref();
      this.#pending.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, password, userInputs });
    });
  }

  /** Stops the worker (tests; a process exits without it). */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker !== null) await worker.terminate();
  }
}
