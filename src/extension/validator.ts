/**
 * Keeps every served document's report and diagnostics: checks on open, as the user types (debounced; a newer edit
 * cancels the pending check and a result for an outdated version is dropped) and on save, publishes the findings
 * as diagnostics, and remembers, per document version, which finding each diagnostic came from (the code actions
 * are built from that, not recomputed). Everything VS Code-independent lives in ./logic.
 *
 * The checks run through the Checker (a worker thread on Node), so a document can change while its check runs:
 * per document at most one check runs and one waits; the waiting one checks whatever the document is when its
 * turn comes, and every caller asking meanwhile shares it. A result for an outdated version is dropped (unread,
 * when it comes from the worker).
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/findings';
import type { FileReport } from '../core/report';
import { type CheckOutcome, type PositionedDiagnostic, type RangeData, samePositionedDiagnostics } from './logic/check';
import type { ModelLens } from './logic/codelens';
import { ANALYSIS_CODE, SOURCE, type DiagnosticData } from './logic/diagnostics';
import { SKIPPED_SCHEMES } from './logic/languages';
import { checkOptionsOf, optionsKey, type Settings } from './logic/settings';
import type { Services } from './services';

export interface DocState {
  uri: vscode.Uri;
  version: number;
  optionsKey: string;
  text: string;
  report: FileReport;
  durationMs: number;
  /** Time this thread spent turning the diagnostics into vscode objects and publishing them (ms, slices added up). */
  publishMs?: number;
  /** The CodeLens of each model, when the check made them. */
  lenses?: ModelLens[];
  /** Where each model lies, when the report's models are read on demand (see CheckOutcome). */
  modelIndex?: { extents: [number, number][]; names: string[] };
  /** Diagnostic key (range, code, message) → the finding it shows. */
  findings: Map<string, Finding>;
  /** The diagnostics on screen, as data, and their keys (the next check skips the publish when it shows the same). */
  published: { data: readonly PositionedDiagnostic[]; keys: string[] };
}

/** Why a document is not checked, for the status item. */
export type Skip = { reason: string };

const SEVERITY: Record<DiagnosticData['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** What identifies a diagnostic when VS Code hands it back in a CodeActionContext (a copy, not our object). */
export function diagnosticKey(d: vscode.Diagnostic): string {
  const code = typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
  const r = d.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${code}|${d.message}`;
}

const toRange = (r: RangeData) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** Lets the event loop run (setImmediate where there is one: Node; the web extension host has timers only). */
const yieldToLoop = () => new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Diagnostics turned into vscode objects per slice of this many milliseconds (a file with 1,000 findings). */
const PUBLISH_SLICE_MS = 4;

export function toDiagnostic(data: PositionedDiagnostic, uri: vscode.Uri, targets?: Map<string, vscode.Uri>): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(data.range), data.message, SEVERITY[data.severity]);
  d.source = SOURCE;
  let target: vscode.Uri | undefined;
  if (data.href) {
    target = targets?.get(data.href);
    if (!target) {
      target = vscode.Uri.parse(data.href);
      targets?.set(data.href, target);
    }
  }
  d.code = data.ruleId ? (target ? { value: data.ruleId, target } : data.ruleId) : ANALYSIS_CODE;
  if (data.related.length) {
    d.relatedInformation = data.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message));
  }
  const tags = data.tags.map((t) => (t === 'unnecessary' ? vscode.DiagnosticTag.Unnecessary : vscode.DiagnosticTag.Deprecated));
  if (tags.length) d.tags = tags;
  return d;
}

/** A check of one document version under one set of options, running. */
interface Running {
  version: number;
  optionsKey: string;
  done: Promise<DocState | undefined>;
}

export class Validator implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private readonly states = new Map<string, DocState>();
  private readonly skips = new Map<string, Skip>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, Running>();
  /** The check that runs after the running one, for the document as it is then (one per document). */
  private readonly waiting = new Map<string, Promise<DocState | undefined>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fired after a document's report or diagnostics changed (CodeLens, status item). */
  readonly onDidChange = this.changed.event;
  /** Files whose diagnostics came from the workspace check: re-read from disk when their editor closes. */
  readonly fromWorkspaceCheck = new Set<string>();
  private lastDuration = 0;
  /** Documentation links, parsed once. */
  private readonly targets = new Map<string, vscode.Uri>();

  constructor(private readonly services: Services) {}

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.collection.dispose();
    this.changed.dispose();
  }

  state(uri: vscode.Uri): DocState | undefined {
    return this.states.get(uri.toString());
  }

  skip(uri: vscode.Uri): Skip | undefined {
    return this.skips.get(uri.toString());
  }

  isBusy(uri: vscode.Uri): boolean {
    const k = uri.toString();
    return this.timers.has(k) || this.running.has(k) || this.waiting.has(k);
  }

  /** Whether VS Code shows this document in a served language and a scheme worth checking. */
  serves(doc: vscode.TextDocument): boolean {
    return this.services.languages.includes(doc.languageId) && !SKIPPED_SCHEMES.has(doc.uri.scheme);
  }

  /** Debounced check (typing); the delay grows with the time the last check took. */
  schedule(doc: vscode.TextDocument, immediate = false): void {
    if (!this.serves(doc)) return;
    const key = doc.uri.toString();
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    const delay = immediate ? 0 : Math.min(1000, Math.max(250, 2 * this.lastDuration));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.validate(doc);
      }, delay),
    );
    this.changed.fire(doc.uri);
  }

  cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  forget(uri: vscode.Uri): void {
    this.cancel(uri);
    const key = uri.toString();
    this.states.delete(key);
    this.skips.delete(key);
    this.collection.delete(uri);
    this.services.checker.forget(key);
    this.changed.fire(uri);
  }

  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.states.clear();
    this.skips.clear();
    this.fromWorkspaceCheck.clear();
    this.collection.clear();
  }

  /**
   * Checks a document now (if it changed since its last check) and publishes the result. While a check of an
   * older version runs, the document waits for it (one waiting check per document, shared by every caller).
   */
  validate(doc: vscode.TextDocument): Promise<DocState | undefined> {
    if (!this.serves(doc) || doc.isClosed) return Promise.resolve(undefined);
    const key = doc.uri.toString();
    const settings = this.services.settings(doc.uri);
    const oKey = optionsKey(settings);
    const current = this.states.get(key);
    if (current && current.version === doc.version && current.optionsKey === oKey) return Promise.resolve(current);
    const running = this.running.get(key);
    if (running) {
      if (running.version === doc.version && running.optionsKey === oKey) return running.done;
      let next = this.waiting.get(key);
      if (!next) {
        next = running.done
          .then(
            () => undefined,
            () => undefined,
          )
          .then(() => {
            this.waiting.delete(key);
            return this.validate(doc);
          });
        this.waiting.set(key, next);
      }
      return next;
    }
    const entry: Running = { version: doc.version, optionsKey: oKey, done: Promise.resolve(undefined) };
    this.running.set(key, entry);
    entry.done = this.check(doc, settings, oKey).finally(() => {
      if (this.running.get(key) === entry) this.running.delete(key);
      this.changed.fire(doc.uri);
    });
    return entry.done;
  }

  /** The stored check if it is of the document's current version and settings, else undefined (no check run). */
  current(doc: vscode.TextDocument): DocState | undefined {
    const s = this.states.get(doc.uri.toString());
    return s && s.version === doc.version && s.optionsKey === optionsKey(this.services.settings(doc.uri)) ? s : undefined;
  }

  /**
   * The document's current report, checking it first when the stored one is for another version or other
   * settings (hover, code actions and CodeLens ask here). Undefined when the document is not checked.
   */
  async ensure(doc: vscode.TextDocument): Promise<DocState | undefined> {
    const s = this.current(doc);
    if (s) return s;
    if (!this.serves(doc)) return undefined;
    this.cancel(doc.uri);
    return this.validate(doc);
  }

  private async check(doc: vscode.TextDocument, settings: Settings, oKey: string): Promise<DocState | undefined> {
    const key = doc.uri.toString();
    if (!settings.enable) {
      this.skipped(doc, 'disabled by "initlens.enable"', settings);
      return undefined;
    }
    const text = doc.getText();
    const version = doc.version;
    const outdated = () => doc.isClosed || doc.version !== version;
    try {
      const t0 = performance.now();
      const outcome = await this.services.checker.check(
        {
          text,
          path: doc.uri.path || doc.fileName,
          languageId: doc.languageId,
          frameworks: settings.frameworks,
          options: checkOptionsOf(settings),
          repository: this.services.repository,
          // An incremental session once the document is edited (a session keeps the parse: not for every open file).
          session: doc.version > 1 ? key : undefined,
        },
        { stale: outdated },
      );
      const totalMs = performance.now() - t0;
      if (outcome?.kind === 'checked') this.lastDuration = outcome.durationMs;
      // The document may have changed (or closed, or the settings) while the check ran: drop the result.
      if (!outcome || outdated() || optionsKey(this.services.settings(doc.uri)) !== oKey) {
        if (settings.trace !== 'off') this.services.log.info(`dropped the check of ${doc.uri.toString(true)} version ${version}: outdated`);
        return undefined;
      }
      if (outcome.kind === 'skipped') {
        this.skipped(doc, outcome.reason, settings);
        return undefined;
      }
      const state = await this.publish(doc.uri, text, version, oKey, outcome, outdated);
      if (!state) {
        if (settings.trace !== 'off') this.services.log.info(`dropped the check of ${doc.uri.toString(true)} version ${version}: outdated`);
        return undefined;
      }
      this.skips.delete(key);
      this.logCheck(doc.uri, state, settings, totalMs, outcome.threadId);
      return state;
    } catch (e) {
      this.services.log.error(`InitLens could not check ${doc.uri.toString(true)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    }
  }

  private skipped(doc: vscode.TextDocument, reason: string, settings: Settings): void {
    const key = doc.uri.toString();
    this.states.delete(key);
    this.skips.set(key, { reason });
    this.collection.delete(doc.uri);
    if (settings.trace !== 'off') this.services.log.info(`skipped ${doc.uri.toString(true)}: ${reason}`);
  }

  /**
   * Publishes a check's diagnostics (positioned in `text`) and remembers the findings behind them. Many
   * diagnostics are made a few milliseconds at a time, letting the event loop run in between; undefined when
   * `stale()` says the document changed meanwhile (nothing published).
   */
  async publish(
    uri: vscode.Uri,
    text: string,
    version: number,
    oKey: string,
    outcome: Extract<CheckOutcome, { kind: 'checked' }>,
    stale?: () => boolean,
  ): Promise<DocState | undefined> {
    const { report, durationMs, lenses, modelIndex } = outcome;
    const key = uri.toString();
    const findings = new Map<string, Finding>();
    let publishMs = 0;
    let slice = performance.now();
    // The same diagnostics as those on screen (typing within a line moves nothing else): keep them, point them at
    // this check's findings (whose fixes are positioned in this text), and skip the publish.
    const last = this.states.get(key)?.published;
    if (last && this.collection.has(uri) && samePositionedDiagnostics(last.data, outcome.diagnostics)) {
      outcome.diagnostics.forEach((d, i) => {
        if (d.finding !== undefined) findings.set(last.keys[i], report.findings[d.finding]);
      });
      const published = { data: outcome.diagnostics, keys: last.keys };
      return this.remember({ uri, version, optionsKey: oKey, text, report, durationMs, findings, lenses, modelIndex, published, publishMs: performance.now() - slice });
    }
    const diagnostics: vscode.Diagnostic[] = [];
    const keys: string[] = [];
    for (const d of outcome.diagnostics) {
      const diag = toDiagnostic(d, uri, this.targets);
      diagnostics.push(diag);
      keys.push(diagnosticKey(diag));
      if (d.finding !== undefined) findings.set(keys[keys.length - 1], report.findings[d.finding]);
      if (performance.now() - slice >= PUBLISH_SLICE_MS) {
        publishMs += performance.now() - slice;
        await yieldToLoop();
        if (stale?.()) return undefined;
        slice = performance.now();
      }
    }
    this.collection.set(uri, diagnostics);
    publishMs += performance.now() - slice;
    return this.remember({ uri, version, optionsKey: oKey, text, report, durationMs, findings, lenses, modelIndex, published: { data: outcome.diagnostics, keys }, publishMs });
  }

  private remember(state: DocState): DocState {
    this.states.set(state.uri.toString(), state);
    this.changed.fire(state.uri);
    return state;
  }

  private logCheck(uri: vscode.Uri, state: DocState, settings: Settings, totalMs: number, threadId: number | undefined): void {
    const { report, durationMs } = state;
    const log = this.services.log;
    const where = threadId === undefined ? '' : threadId === 0 ? ', on the host thread' : `, in the check worker (${totalMs.toFixed(1)} ms with the round trip)`;
    const what = `${uri.toString(true)}: ${report.models.length} model(s), ${report.findings.length} finding(s) in ${durationMs.toFixed(1)} ms${where}; published in ${(state.publishMs ?? 0).toFixed(1)} ms`;
    if (settings.trace !== 'off') log.info(`checked ${what}`);
    else log.debug(`checked ${what}`);
    if (settings.trace === 'verbose') {
      for (const f of report.findings) log.info(`  ${f.severity} ${f.ruleId} @${f.span.start}: ${f.message}`);
    }
    for (const p of report.problems) {
      if (p.message.startsWith('internal error')) log.error(`${uri.toString(true)}: ${p.message}`);
      else log.info(`${uri.toString(true)}: analysis limited: ${p.message}`);
    }
    if (durationMs > settings.timeBudget.error) {
      log.error(`checking ${uri.toString(true)} took ${durationMs.toFixed(0)} ms, over the ${settings.timeBudget.error} ms budget ("initlens.timeBudget.onValidation"); consider "initlens.run": "onSave"`);
    } else if (durationMs > settings.timeBudget.warn) {
      log.warn(`checking ${uri.toString(true)} took ${durationMs.toFixed(0)} ms, over the ${settings.timeBudget.warn} ms budget ("initlens.timeBudget.onValidation")`);
    }
  }
}
