/**
 * Checking files, in this thread or in a pool of node:worker_threads workers (`initlens check --jobs N`).
 *
 * Each worker loads the engine once, then reads and checks the files it is sent, one message per file, and sends
 * back what `checkFile` returns (plain data: structured clone keeps undefined, NaN and ±Infinity). Results are
 * handed to the caller in input order, whatever order the workers finish in, so a run with N workers prints
 * exactly what a run in one thread prints, stderr included.
 *
 * The worker script is the module that holds this code: src/cli/workers.ts from the TypeScript source (loaded in
 * the worker through tsx's CommonJS API, because Node 20 does not apply `--import tsx` to worker threads), and
 * the bundle itself, dist/cli.js, when the CLI runs from its esbuild bundle (so the package does not carry a
 * second 7 MB copy of the engine and TypeScript). The worker part below starts only in a thread created here
 * (`workerData` carries WORKER_MARKER), never when the module is merely imported.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { FileReport } from '../core/report';
import { checkText, type CheckOptions } from '../engine/check';
import { messageOf } from './files';
import { readSource } from './read';

/** What became of one file: not readable (or skipped), checked, or the engine failed on it (our bug). */
export type FileOutcome =
  | { kind: 'unread'; message: string; fatal: boolean }
  | { kind: 'checked'; text: string; report: FileReport }
  | { kind: 'failed'; text?: string; message: string; stack?: string };

export interface FileJob {
  /** Absolute path, to read. */
  abs: string;
  /** Path as shown, the name the engine reports under. */
  shown: string;
}

/** Reads and checks one file; never throws. The same code runs in a worker and in the main thread. */
export function checkFile(job: FileJob, options: CheckOptions, check: typeof checkText = checkText): FileOutcome {
  const read = readSource(job.abs);
  if (!read.ok) return { kind: 'unread', message: read.message, fatal: read.fatal };
  try {
    return { kind: 'checked', text: read.text, report: check(read.text, job.shown, options) };
  } catch (error) {
    return { kind: 'failed', text: read.text, message: messageOf(error), stack: error instanceof Error ? error.stack : undefined };
  }
}

/** `--jobs auto`: the number of CPUs this process may use. */
export function availableCores(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

const WORKER_MARKER = 'initlens-check-worker';

/** Files sent to a worker before its previous ones come back, so that it never waits for the next one. */
const IN_FLIGHT_PER_WORKER = 2;

export type ToWorker = { id: number; job: FileJob };
export type FromWorker = { type: 'ready' } | { type: 'done'; id: number; outcome: FileOutcome };

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Ids sent and not yet answered, oldest first: the worker handles them in this order. */
  pending: number[];
  gone: boolean;
  /** The uncaught error that is ending the thread, said when its 'exit' comes. */
  error?: string;
}

export interface PoolEvents {
  /** Called once per job, in input order. */
  result(index: number, outcome: FileOutcome): void;
  /** No worker could start (the files are then checked in this thread): one line for stderr. */
  fallback?(message: string): void;
}

/**
 * A pool of `size` worker threads, started at once so that they load the engine while the caller walks the
 * folders. `run` may be called once; `close` ends the threads (also when `run` was never called).
 */
export class CheckPool {
  private readonly slots: Slot[] = [];
  private jobs: FileJob[] = [];
  private next = 0;
  /** Jobs taken back from a worker that died before getting to them, handed out before `next`. */
  private readonly retry: number[] = [];
  private readonly outcomes = new Map<number, FileOutcome>();
  private delivered = 0;
  private events: PoolEvents | undefined;
  private finish: (() => void) | undefined;
  private startError: string | undefined;
  private closed = false;

  /** `spawn` starts one worker (tests pass their own; a worker speaks the ToWorker/FromWorker messages). */
  constructor(
    size: number,
    private readonly options: CheckOptions,
    spawn: (options: CheckOptions) => Worker = spawnWorker,
  ) {
    for (let i = 0; i < size; i++) {
      let worker: Worker;
      try {
        worker = spawn(options);
      } catch (error) {
        this.startError ??= messageOf(error);
        continue;
      }
      const slot: Slot = { worker, ready: false, pending: [], gone: false };
      this.slots.push(slot);
      worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
      // An uncaught error ends the thread, but its 'error' event can come before messages the thread posted
      // earlier (a result just sent): acting on it then would blame a file already checked. Node delivers every
      // message before 'exit' (lib/internal/worker.js drains the ports first), so the thread's end is handled there.
      worker.on('error', (error) => {
        slot.error ??= messageOf(error);
      });
      worker.on('exit', (code) => this.onGone(slot, slot.error ?? `the worker thread exited with code ${code}`));
    }
  }

  /** Checks `jobs`, calling `events.result` in input order; resolves when every job has its result. */
  run(jobs: readonly FileJob[], events: PoolEvents): Promise<void> {
    this.jobs = [...jobs];
    this.events = events;
    // Fewer files than workers: the extra ones are not needed.
    let keep = Math.max(1, jobs.length);
    for (const slot of this.slots) {
      if (slot.gone) continue;
      if (keep > 0) {
        keep--;
        continue;
      }
      slot.gone = true;
      void slot.worker.terminate();
    }
    return new Promise<void>((resolve) => {
      this.finish = resolve;
      for (const slot of this.slots) this.feed(slot);
      this.checkAllGone();
      this.flush();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => (s.gone ? undefined : s.worker.terminate())));
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === 'ready') {
      slot.ready = true;
    } else {
      slot.pending = slot.pending.filter((id) => id !== message.id);
      this.outcomes.set(message.id, message.outcome);
    }
    this.feed(slot);
    this.flush();
  }

  /** A worker ended (crash, out of memory, or our own terminate()). */
  private onGone(slot: Slot, reason: string): void {
    if (slot.gone) return;
    slot.gone = true;
    if (this.closed) return;
    if (!slot.ready) this.startError ??= reason;
    // The oldest pending file is the one the worker was checking: it gets the blame. The others were only
    // queued: they go back to the pool.
    const [current, ...queued] = slot.pending;
    slot.pending = [];
    if (current !== undefined) {
      this.outcomes.set(current, { kind: 'failed', message: `the worker thread checking it stopped: ${reason}` });
    }
    if (queued.length > 0) this.requeue(queued);
    for (const other of this.slots) this.feed(other);
    this.checkAllGone();
    this.flush();
  }

  private requeue(ids: number[]): void {
    this.retry.push(...ids);
    this.retry.sort((a, b) => a - b);
  }

  private takeJob(): number | undefined {
    if (this.retry.length > 0) return this.retry.shift();
    if (this.next < this.jobs.length) return this.next++;
    return undefined;
  }

  private feed(slot: Slot): void {
    if (!this.finish || !slot.ready || slot.gone) return;
    while (slot.pending.length < IN_FLIGHT_PER_WORKER) {
      const id = this.takeJob();
      if (id === undefined) return;
      slot.pending.push(id);
      slot.worker.postMessage({ id, job: this.jobs[id] } satisfies ToWorker);
    }
  }

  /** Every worker gone with files left: check the rest here, so that every file still gets its result. */
  private checkAllGone(): void {
    if (!this.finish || this.slots.some((s) => !s.gone)) return;
    if (this.startError !== undefined && !this.slots.some((s) => s.ready)) {
      this.events?.fallback?.(`cannot start worker threads (${this.startError}); checking in one thread`);
      this.startError = undefined;
    }
    for (let id = this.takeJob(); id !== undefined; id = this.takeJob()) {
      this.outcomes.set(id, checkFile(this.jobs[id], this.options));
    }
  }

  private flush(): void {
    if (!this.events) return;
    while (this.outcomes.has(this.delivered)) {
      const outcome = this.outcomes.get(this.delivered)!;
      this.outcomes.delete(this.delivered);
      this.events.result(this.delivered, outcome);
      this.delivered++;
    }
    if (this.delivered === this.jobs.length && this.finish) {
      const finish = this.finish;
      this.finish = undefined;
      finish();
    }
  }
}

/** A worker running this module: the bundle (dist/cli.js) or, from the source, this .ts file through tsx. */
function spawnWorker(options: CheckOptions): Worker {
  const data = { [WORKER_MARKER]: true, options };
  const common = { workerData: data };
  const self = __filename;
  if (!/\.[cm]?ts$/.test(self)) return new Worker(self, common);
  // From the TypeScript source. Under tsx's CommonJS API, require.resolve answers with a `?namespace=` suffix.
  // (createRequire: the bundle never takes this branch, and esbuild leaves it alone.)
  const tsx = createRequire(self).resolve('tsx/cjs/api').replace(/\?.*$/, '');
  const code = `require(${JSON.stringify(tsx)}).require(${JSON.stringify(self)}, ${JSON.stringify(self)});`;
  return new Worker(code, { ...common, eval: true });
}

// ---------------------------------------------------------------------------------------------------------------
// The worker side.

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_MARKER] === true) {
  const port = parentPort;
  const options = (workerData as { options: CheckOptions }).options;
  port.on('message', (message: ToWorker) => {
    port.postMessage({ type: 'done', id: message.id, outcome: checkFile(message.job, options) } satisfies FromWorker);
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
