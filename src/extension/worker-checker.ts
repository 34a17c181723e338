/**
 * Checks in a worker thread (Node extension host): the client side of dist/check-worker.js.
 *
 * - The worker starts on the first check (not at activation) and loads the engine once; its thread does the
 *   parsing, the prediction, the rules and the diagnostics' positions.
 * - The outcome comes back as a small "done" message plus parts (logic/worker-protocol.ts) that this thread reads
 *   a few milliseconds at a time, yielding to the event loop between slices; parts of a result nobody wants any
 *   more (`stale()`: the document changed) are dropped unread.
 * - The worker checks one text at a time, in order. A check that runs longer than `timeoutMs` is stopped: the
 *   worker is terminated and replaced, the file gets a "not analyzed" problem, the other requests go to the new
 *   worker.
 * - If the worker cannot start or dies, every check from then on (the ones in flight included) runs on this
 *   thread through the fallback checker, said once in the log; "InitLens: Restart" tries a worker again.
 * - An idle worker does not keep the process alive (unref'd while it has no work).
 *
 * No vscode import (unit-tested in plain Node).
 */
import { deserialize } from 'node:v8';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ModelReport } from '../core/report';
import type { Checker, CheckerInfo, CheckerMode, CheckRequestOptions } from './checker';
import { positionedDiagnostics, type CheckInput, type CheckOutcome } from './logic/check';
import { problemDiagnostic } from './logic/diagnostics';
import { joinOutcome, type AnalyzerInfo, type HostMessage, type OutcomeHeader, type OutcomePart, type PackedModels, type WorkerMessage } from './logic/worker-protocol';

export interface CheckerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface WorkerCheckerOptions {
  /** dist/check-worker.js. */
  workerFile: string;
  /** Where checks go when the worker cannot run (an InThreadChecker). */
  fallback: Checker;
  log: CheckerLog;
  /** A single check running longer than this is stopped (ms; default 60 s). */
  timeoutMs?: number;
  /** How long this thread reads parts of an outcome before it yields to the event loop (ms; default 4). */
  sliceMs?: number;
}

interface Request {
  id: number;
  input: CheckInput;
  stale?: () => boolean;
  resolve: (outcome: CheckOutcome | undefined) => void;
  reject: (e: unknown) => void;
}

interface Sent extends Request {
  port: MessagePort;
}

interface Ready {
  threadId: number;
  startupMs: number;
  analyzers: AnalyzerInfo[];
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const describe = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));

export class WorkerChecker implements Checker {
  private worker: Worker | undefined;
  private ready: Ready | undefined;
  private readyWaiters: (() => void)[] = [];
  private failed = false;
  private disposed = false;
  private readonly sent = new Map<number, Sent>();
  private nextId = 1;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  /** When the worker last finished a check (or was given work while idle). */
  private lastProgress = 0;
  private readonly timeoutMs: number;
  private readonly sliceMs: number;

  constructor(private readonly opts: WorkerCheckerOptions) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.sliceMs = opts.sliceMs ?? 4;
  }

  get mode(): CheckerMode {
    return this.failed ? 'in-thread' : 'worker';
  }

  check(input: CheckInput, options: CheckRequestOptions = {}): Promise<CheckOutcome | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const worker = this.failed ? undefined : this.start();
    if (!worker) return this.opts.fallback.check(input, options);
    return new Promise((resolve, reject) => this.send(worker, { id: this.nextId++, input, stale: options.stale, resolve, reject }));
  }

  async analyzers(): Promise<readonly AnalyzerInfo[]> {
    const ready = await this.whenReady();
    return ready ? ready.analyzers : this.opts.fallback.analyzers();
  }

  forget(session: string): void {
    this.post({ type: 'forget', session });
    this.opts.fallback.forget(session);
  }

  restart(): void {
    this.post({ type: 'forget' });
    this.opts.fallback.restart();
    this.failed = false;
  }

  async info(): Promise<CheckerInfo> {
    const worker = this.worker as (Worker & { getHeapStatistics?: () => Promise<{ used_heap_size: number; total_heap_size: number }> }) | undefined;
    if (this.failed || !worker) return { ...(await this.opts.fallback.info()), mode: this.mode };
    const ready = await this.whenReady();
    let heap: { used_heap_size: number; total_heap_size: number } | undefined;
    try {
      heap = await worker.getHeapStatistics?.();
    } catch {
      heap = undefined;
    }
    return { mode: this.mode, threadId: ready?.threadId, startupMs: ready?.startupMs, workerHeapUsed: heap?.used_heap_size, workerHeapTotal: heap?.total_heap_size };
  }

  dispose(): void {
    this.disposed = true;
    if (this.watchdog) clearTimeout(this.watchdog);
    const worker = this.worker;
    this.worker = undefined;
    for (const r of this.sent.values()) {
      r.port.close();
      r.resolve(undefined);
    }
    this.sent.clear();
    this.flushReady();
    void worker?.terminate();
  }

  private post(message: HostMessage, transfer?: MessagePort[]): void {
    this.worker?.postMessage(message, transfer);
  }

  /** Keeps the process alive while the worker has work (or someone waits for it to be ready), not when idle. */
  private updateRef(): void {
    if (!this.worker) return;
    if (this.sent.size > 0 || this.readyWaiters.length > 0) this.worker.ref();
    else this.worker.unref();
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      // No execArgv: the host's own flags (inspector, process-wide options) are not all valid in a worker.
      worker = new Worker(this.opts.workerFile, { name: 'InitLens check', execArgv: [] });
    } catch (e) {
      this.fail(`could not be started (${describe(e)})`);
      return undefined;
    }
    this.worker = worker;
    worker.on('message', (m: WorkerMessage) => this.onMessage(worker, m));
    worker.on('error', (e) => this.died(worker, `stopped with an error: ${describe(e)}`));
    worker.on('exit', (code) => this.died(worker, `exited (code ${code})`));
    worker.on('messageerror', (e) => this.opts.log.warn(`a message from the check worker could not be read: ${describe(e)}`));
    this.updateRef();
    return worker;
  }

  private send(worker: Worker, request: Request): void {
    const { port1, port2 } = new MessageChannel();
    const sent: Sent = { ...request, port: port1 };
    if (this.sent.size === 0) this.lastProgress = performance.now();
    this.sent.set(sent.id, sent);
    try {
      worker.postMessage({ type: 'check', id: sent.id, input: sent.input, port: port2 } satisfies HostMessage, [port2]);
    } catch (e) {
      // Only plain data is sent; should something else slip in, check it here rather than not at all.
      this.sent.delete(sent.id);
      port1.close();
      this.opts.log.warn(`could not send ${sent.input.path} to the check worker (${describe(e)}); checked on this thread`);
      this.opts.fallback.check(sent.input, { stale: sent.stale }).then(sent.resolve, sent.reject);
      return;
    }
    this.updateRef();
    this.arm();
  }

  private onMessage(worker: Worker, m: WorkerMessage): void {
    if (worker !== this.worker) return;
    if (m.type === 'ready') {
      this.ready = { threadId: m.threadId, startupMs: m.startupMs, analyzers: m.analyzers };
      this.opts.log.info(
        `engine loaded in the check worker (thread ${m.threadId}) ${m.startupMs.toFixed(0)} ms after its start (analyzers: ${m.analyzers.map((a) => a.id).join(', ')})`,
      );
      this.flushReady();
      this.updateRef();
      return;
    }
    const request = this.sent.get(m.id);
    if (!request) return;
    this.sent.delete(m.id);
    this.updateRef();
    this.lastProgress = performance.now();
    if (m.type === 'failed') {
      request.port.close();
      this.opts.log.error(`the check worker failed on ${request.input.path}: ${m.error}; checked on this thread`);
      this.opts.fallback.check(request.input, { stale: request.stale }).then(request.resolve, request.reject);
      return;
    }
    this.receive(request, m.header, m.parts).then(request.resolve, (e: unknown) => {
      this.opts.log.warn(`the check of ${request.input.path} could not be read from the check worker (${describe(e)}); checked on this thread`);
      this.opts.fallback.check(request.input, { stale: request.stale }).then(request.resolve, request.reject);
    });
  }

  /** Reads the outcome's parts a slice at a time; undefined when it went stale meanwhile (the rest unread). */
  private async receive(request: Sent, header: OutcomeHeader, count: number): Promise<CheckOutcome | undefined> {
    try {
      const parts: OutcomePart[] = [];
      let slice = performance.now();
      for (let i = 0; i < count; i++) {
        if (request.stale?.()) return undefined;
        let got = receiveMessageOnPort(request.port);
        for (let tries = 0; !got; tries++) {
          if (tries > 100) throw new Error(`part ${i + 1} of ${count} did not arrive`);
          await yieldToLoop();
          got = receiveMessageOnPort(request.port);
        }
        parts.push(got.message as OutcomePart);
        if (i + 1 < count && performance.now() - slice >= this.sliceMs) {
          await yieldToLoop();
          slice = performance.now();
        }
      }
      return joinOutcome(header, parts, lazyModels);
    } finally {
      request.port.close();
    }
  }

  private whenReady(): Promise<Ready | undefined> {
    if (this.ready) return Promise.resolve(this.ready);
    if (this.failed || this.disposed || !this.start()) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.readyWaiters.push(() => resolve(this.ready));
      this.updateRef();
    });
  }

  private flushReady(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }

  private fail(why: string): void {
    this.failed = true;
    this.opts.log.error(`InitLens' check worker ${why}; checking on the extension host's thread from now on ("InitLens: Restart" tries the worker again)`);
  }

  private died(worker: Worker, why: string): void {
    if (worker !== this.worker || this.disposed) return;
    this.worker = undefined;
    this.ready = undefined;
    this.fail(why);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const requests = [...this.sent.values()];
    this.sent.clear();
    for (const r of requests) {
      r.port.close();
      this.opts.fallback.check(r.input, { stale: r.stale }).then(r.resolve, r.reject);
    }
    this.flushReady();
  }

  /** Watches the worker's progress while it has work: the oldest request is the one running. */
  private arm(): void {
    if (this.watchdog || this.sent.size === 0) return;
    const wait = Math.max(0, this.lastProgress + this.timeoutMs - performance.now());
    this.watchdog = setTimeout(() => {
      this.watchdog = undefined;
      if (this.sent.size === 0 || !this.worker) return;
      if (performance.now() - this.lastProgress >= this.timeoutMs) this.stopRunaway();
      this.arm();
    }, wait + 1);
  }

  private stopRunaway(): void {
    const running = [...this.sent.values()].reduce((a, b) => (b.id < a.id ? b : a));
    const seconds = this.timeoutMs / 1000;
    this.opts.log.error(`checking ${running.input.path} took over ${seconds} s: stopped (the check worker restarts)`);
    this.sent.delete(running.id);
    running.port.close();
    running.resolve(timedOut(running.input, seconds));
    // A new worker for the rest.
    const old = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    void old?.terminate();
    const rest = [...this.sent.values()].sort((a, b) => a.id - b.id);
    this.sent.clear();
    const worker = rest.length || this.readyWaiters.length ? this.start() : undefined;
    for (const r of rest) {
      r.port.close();
      if (worker && !this.failed) this.send(worker, r);
      else this.opts.fallback.check(r.input, { stale: r.stale }).then(r.resolve, r.reject);
    }
  }
}

/**
 * The report's models, each deserialized when first read (an array element that is a getter until then): the
 * host's thread reads the models a hover or the preview asks for, not all of them on every check.
 */
export function lazyModels(packed: PackedModels): ModelReport[] {
  const { bytes, offsets } = packed;
  const models = new Array<ModelReport>(offsets.length - 1);
  for (let i = 0; i < models.length; i++) {
    const settle = (value: ModelReport) => Object.defineProperty(models, i, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(models, i, {
      enumerable: true,
      configurable: true,
      get() {
        const value = deserialize(bytes.subarray(offsets[i], offsets[i + 1])) as ModelReport;
        settle(value);
        return value;
      },
      set: settle,
    });
  }
  return models;
}

/** The outcome of a check that was stopped: one "not analyzed" problem. */
function timedOut(input: CheckInput, seconds: number): CheckOutcome {
  const report = {
    file: input.path,
    models: [],
    findings: [],
    problems: [{ message: `Not analyzed: the check took longer than ${seconds} s and was stopped.` }],
  };
  return { kind: 'checked', report, diagnostics: positionedDiagnostics([problemDiagnostic(report)!], input.text), durationMs: seconds * 1000 };
}
