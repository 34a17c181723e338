/**
 * Where the extension's checks run. The Validator, the workspace check and the preview ask a `Checker`; the Node
 * build's is a WorkerChecker (./worker-checker.ts: a worker thread, so a long check never blocks the extension
 * host), with this in-thread checker as its fallback. The web build checks in-thread (see createChecker).
 *
 * No vscode import (unit-tested in plain Node).
 */
import { runCheck, type CheckInput, type CheckOutcome, type CheckSessionLike } from './logic/check';
import type { AnalyzerInfo } from './logic/worker-protocol';
import type { Engine } from './services';

export type CheckerMode = 'worker' | 'in-thread';

export interface CheckRequestOptions {
  /**
   * True once the result is no longer wanted (the document changed): a result that arrives then is dropped
   * unread, and `check` resolves to undefined.
   */
  stale?: () => boolean;
}

export interface CheckerInfo {
  mode: CheckerMode;
  /** The thread that checks (worker_threads' threadId; 0 is Node's main thread). */
  threadId?: number;
  /** Time from the worker's creation to its engine being loaded (ms). */
  startupMs?: number;
  /** The worker's V8 heap (bytes), where Node tells it (`Worker.getHeapStatistics`, Node 22.16+). */
  workerHeapUsed?: number;
  workerHeapTotal?: number;
}

export interface Checker {
  readonly mode: CheckerMode;
  /** Checks a text; undefined when `stale()` said the result was no longer wanted. */
  check(input: CheckInput, options?: CheckRequestOptions): Promise<CheckOutcome | undefined>;
  /** The engine's analyzers (ids and file extensions). */
  analyzers(): Promise<readonly AnalyzerInfo[]>;
  /** Drops a document's check session (the document closed). */
  forget(session: string): void;
  /** Drops every session, and (worker) starts a fresh worker, also after one crashed. */
  restart(): void;
  info(): Promise<CheckerInfo>;
  dispose(): void;
}

/**
 * The engine's check sessions of the documents being edited, the least recently used dropped first: a session
 * holds the document's parse tree and its models' results (some 3 MB for a 1,300-line file), so only a few are
 * kept, for the documents the user is typing in.
 */
export class SessionCache {
  private readonly sessions = new Map<string, CheckSessionLike>();

  constructor(
    private readonly create: () => CheckSessionLike,
    private readonly max = 6,
  ) {}

  get(key: string): CheckSessionLike {
    let s = this.sessions.get(key);
    if (s) this.sessions.delete(key);
    else s = this.create();
    this.sessions.set(key, s);
    while (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value!);
    return s;
  }

  delete(key: string): void {
    this.sessions.delete(key);
  }

  clear(): void {
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }
}

/** Checks on the calling thread, with the lazily loaded engine. */
export class InThreadChecker implements Checker {
  readonly mode = 'in-thread' as const;
  private sessions: SessionCache | undefined;

  constructor(private readonly load: () => Promise<Engine>) {}

  async check(input: CheckInput, options: CheckRequestOptions = {}): Promise<CheckOutcome | undefined> {
    const engine = await this.load();
    if (options.stale?.()) return undefined;
    this.sessions ??= new SessionCache(() => engine.createCheckSession());
    const outcome = runCheck(engine, input, input.session ? this.sessions.get(input.session) : undefined);
    if (outcome.kind === 'checked') outcome.threadId = mainThreadId();
    return outcome;
  }

  async analyzers(): Promise<readonly AnalyzerInfo[]> {
    return (await this.load()).ANALYZER_INFO;
  }

  forget(session: string): void {
    this.sessions?.delete(session);
  }

  restart(): void {
    this.sessions?.clear();
  }

  async info(): Promise<CheckerInfo> {
    return { mode: this.mode, threadId: mainThreadId() };
  }

  dispose(): void {
    this.sessions?.clear();
  }
}

/** 0 on Node's main thread (the extension host); undefined where there is no Node (the web extension host). */
function mainThreadId(): number | undefined {
  return typeof process === 'object' && typeof process.versions?.node === 'string' ? 0 : undefined;
}
