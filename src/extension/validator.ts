/**
 * Keeps every served document's report and diagnostics: checks on open, as the user types (debounced; a newer edit
 * cancels the pending check and a result for an outdated version is dropped) and on save, publishes the findings
 * as diagnostics, and remembers, per document version, which finding each diagnostic came from (the code actions
 * are built from that, not recomputed). Everything VS Code-independent lives in ./logic.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/findings';
import type { FileReport } from '../core/report';
import { ANALYSIS_CODE, diagnosticsOf, SOURCE, type DiagnosticData } from './logic/diagnostics';
import { engineFileName, SKIPPED_SCHEMES } from './logic/languages';
import { analyzerEnabled, checkOptionsOf, optionsKey, type Settings } from './logic/settings';
import type { Engine, Services } from './services';

export interface DocState {
  uri: vscode.Uri;
  version: number;
  optionsKey: string;
  text: string;
  report: FileReport;
  durationMs: number;
  /** Diagnostic key (range, code, message) → the finding it shows. */
  findings: Map<string, Finding>;
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

export function toDiagnostic(data: DiagnosticData, uri: vscode.Uri, positionAt: (offset: number) => vscode.Position): vscode.Diagnostic {
  const range = new vscode.Range(positionAt(data.span.start), positionAt(data.span.end));
  const d = new vscode.Diagnostic(range, data.message, SEVERITY[data.severity]);
  d.source = SOURCE;
  d.code = data.ruleId ? (data.href ? { value: data.ruleId, target: vscode.Uri.parse(data.href) } : data.ruleId) : ANALYSIS_CODE;
  if (data.related.length) {
    d.relatedInformation = data.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Range(positionAt(r.span.start), positionAt(r.span.end))), r.message),
    );
  }
  const tags = data.tags.map((t) => (t === 'unnecessary' ? vscode.DiagnosticTag.Unnecessary : vscode.DiagnosticTag.Deprecated));
  if (tags.length) d.tags = tags;
  return d;
}

export class Validator implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private readonly states = new Map<string, DocState>();
  private readonly skips = new Map<string, Skip>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fired after a document's report or diagnostics changed (CodeLens, status item). */
  readonly onDidChange = this.changed.event;
  /** Files whose diagnostics came from the workspace check: re-read from disk when their editor closes. */
  readonly fromWorkspaceCheck = new Set<string>();
  private lastDuration = 0;

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
    return this.timers.has(k) || this.running.has(k);
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

  /** Checks a document now (if it changed since its last check) and publishes the result. */
  async validate(doc: vscode.TextDocument): Promise<DocState | undefined> {
    if (!this.serves(doc) || doc.isClosed) return undefined;
    const key = doc.uri.toString();
    this.running.add(key);
    try {
      const engine = await this.services.engine();
      return this.validateWith(engine, doc);
    } catch (e) {
      this.services.log.error(`InitLens could not check ${doc.uri.toString(true)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    } finally {
      this.running.delete(key);
      this.changed.fire(doc.uri);
    }
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
    const s = this.states.get(doc.uri.toString());
    const settings = this.services.settings(doc.uri);
    if (s && s.version === doc.version && s.optionsKey === optionsKey(settings)) return s;
    if (!this.serves(doc)) return undefined;
    this.cancel(doc.uri);
    return this.validate(doc);
  }

  private validateWith(engine: Engine, doc: vscode.TextDocument): DocState | undefined {
    const key = doc.uri.toString();
    const settings = this.services.settings(doc.uri);
    const fileName = engineFileName(doc.uri.path || doc.fileName, doc.languageId, engine.CLAIMED_EXTENSIONS);
    const skip = this.skipReason(engine, doc, fileName, settings);
    if (skip) {
      this.states.delete(key);
      this.skips.set(key, { reason: skip });
      this.collection.delete(doc.uri);
      if (settings.trace !== 'off') this.services.log.info(`skipped ${doc.uri.toString(true)}: ${skip}`);
      return undefined;
    }
    const oKey = optionsKey(settings);
    const current = this.states.get(key);
    if (current && current.version === doc.version && current.optionsKey === oKey) return current;

    const text = doc.getText();
    const version = doc.version;
    const t0 = performance.now();
    const report = engine.checkText(text, fileName, checkOptionsOf(settings));
    const durationMs = performance.now() - t0;
    this.lastDuration = durationMs;
    // The engine is synchronous, so the document cannot have changed meanwhile; this guards the awaits above.
    if (doc.isClosed || doc.version !== version) return undefined;

    const state = this.publish(doc.uri, text, version, oKey, report, durationMs, (o) => doc.positionAt(o));
    this.skips.delete(key);
    this.logCheck(doc.uri, state, settings);
    return state;
  }

  /** Publishes a report's diagnostics and remembers the findings behind them. */
  publish(
    uri: vscode.Uri,
    text: string,
    version: number,
    oKey: string,
    report: FileReport,
    durationMs: number,
    positionAt: (offset: number) => vscode.Position,
  ): DocState {
    const data = diagnosticsOf(report, this.services.repository);
    const diagnostics: vscode.Diagnostic[] = [];
    const findings = new Map<string, Finding>();
    for (const d of data) {
      const diag = toDiagnostic(d, uri, positionAt);
      diagnostics.push(diag);
      if (d.finding !== undefined) findings.set(diagnosticKey(diag), report.findings[d.finding]);
    }
    this.collection.set(uri, diagnostics);
    const state: DocState = { uri, version, optionsKey: oKey, text, report, durationMs, findings };
    this.states.set(uri.toString(), state);
    this.changed.fire(uri);
    return state;
  }

  private skipReason(engine: Engine, doc: vscode.TextDocument, fileName: string, settings: Settings): string | undefined {
    if (!settings.enable) return 'disabled by "initlens.enable"';
    if (!engine.isCheckable(fileName)) return 'not a file InitLens analyzes (declaration file or unknown extension)';
    const analyzer = engine.analyzerIdFor(fileName);
    if (!analyzerEnabled(settings, analyzer)) return `the ${analyzer} analyzer is off in "initlens.frameworks"`;
    if (!engine.mayContainModels(doc.getText(), fileName)) return `no ${analyzer} model here (the file does not import or mention ${analyzer})`;
    return undefined;
  }

  private logCheck(uri: vscode.Uri, state: DocState, settings: Settings): void {
    const { report, durationMs } = state;
    const log = this.services.log;
    const what = `${uri.toString(true)}: ${report.models.length} model(s), ${report.findings.length} finding(s) in ${durationMs.toFixed(1)} ms`;
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
