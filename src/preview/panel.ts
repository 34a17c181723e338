/**
 * The preview panel's controller (extension host side). `registerPreview` plugs the panel into the extension's
 * `initlens.preview` command (through the host's `registerHandler`; the host, ./host.ts, is the one interface between
 * the preview and the extension) and registers the WebviewPanelSerializer that restores panels after a reload.
 *
 * One panel per (document, model). The page (webview/main.ts) does all the computing; the controller sends it
 * the model description of the document's current text (debounced on edits: a newer edit cancels the run in
 * progress in the page), reveals layers in the editor, and applies the fixes the page asks for, after
 * validating every message (src/preview/logic/messages.ts) and resolving fix ids against the current report.
 * No retainContextWhenHidden: the page keeps its state with setState and is sent the model again when shown.
 */
import * as vscode from 'vscode';
import type { TextEdit } from '../core/findings';
import type { Model } from '../core/model';
import type { FileReport } from '../core/report';
import type { PreviewHost, PreviewRequest } from './host';
import { mergeEdits } from '../engine/edits';
import { findModel, lsuvIntents, resolveFixIds, suggestionsFor } from './logic/fixes';
import { makeNonce, previewHtml } from './logic/html';
import {
  sanitizePageState,
  validateWebviewMessage,
  type HostMessage,
  type LsuvLayerRequest,
  type PreviewPayload,
  type RememberedSizes,
  type WebviewMessage,
} from './logic/messages';

export const PREVIEW_VIEW_TYPE = 'initlens.preview';

export interface PreviewOptions {
  /** Debounce of edits before the page is sent the new model (ms). Default 400. */
  debounceMs?: number;
}

/** File names the analyzers claim (a restored panel only reopens those). */
const MODEL_FILE = /\.(?:[cm]?[jt]s|[jt]sx|py)$/i;

function uriKey(uri: vscode.Uri, modelName: string): string {
  return `${uri.toString()}#${modelName}`;
}

function sizesKey(uri: vscode.Uri, modelName: string): string {
  return `initlens.preview.sizes:${uriKey(uri, modelName)}`;
}

function displayName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false) || uri.path.split('/').pop() || uri.toString();
}

class PreviewPanel {
  private runKey = 0;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private lastPayload: PreviewPayload | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    public uri: vscode.Uri,
    public modelName: string,
    public modelIndex: number,
    private readonly ctx: vscode.ExtensionContext,
    private readonly host: PreviewHost,
    private readonly options: PreviewOptions,
    private readonly onDispose: (p: PreviewPanel) => void,
  ) {
    const webviewRoot = vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot] };
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'icon.png');
    this.setTitle();
    const asUri = (p: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, p)).toString();
    panel.webview.html = previewHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri('preview.js'),
      styleUri: asUri('preview.css'),
      wasmBase: `${asUri('')}`.replace(/\/?$/, '/'),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      // Hidden panels lose their page (no retainContextWhenHidden): it says 'ready' again when shown.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.ready = false;
      }),
    );
  }

  private setTitle(): void {
    this.panel.title = `InitLens: ${this.modelName || 'preview'}`;
  }

  private post(m: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(m);
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    const l = this.host.log;
    if (l) l[level](`preview: ${message}`);
  }

  /** The document (opened if needed). */
  private async document(): Promise<vscode.TextDocument | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(this.uri);
    } catch {
      return undefined;
    }
  }

  /** Recomputes the model for the current text and sends it (after the debounce when `debounced`). */
  schedule(debounced: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.send(), debounced ? (this.options.debounceMs ?? 400) : 0);
  }

  private async send(): Promise<void> {
    this.timer = undefined;
    if (this.disposed || !this.ready) return;
    const doc = await this.document();
    if (!doc) {
      this.post({ type: 'unavailable', message: `${displayName(this.uri)} cannot be opened.` });
      return;
    }
    const version = doc.version;
    let report: FileReport | undefined;
    try {
      report = await this.host.report(doc);
    } catch (e) {
      this.log('error', `the report of ${displayName(this.uri)} failed: ${(e as Error).message}`);
    }
    if (this.disposed || doc.version !== version) return; // a newer edit is scheduled
    if (!report) {
      // Not checked yet: try again shortly, a few times.
      if (this.retries++ < 10) this.timer = setTimeout(() => void this.send(), 500);
      else this.post({ type: 'unavailable', message: `InitLens has no report for ${displayName(this.uri)} (is InitLens enabled for it?).` });
      return;
    }
    this.retries = 0;
    const index = findModel(report, this.modelName, this.modelIndex);
    if (index === undefined) {
      this.post({ type: 'unavailable', message: `No model in ${displayName(this.uri)} any more${report.problems.length ? `: ${report.problems[0].message}` : ''}.` });
      return;
    }
    const mr = report.models[index];
    if (mr.model.name !== this.modelName) {
      this.modelName = mr.model.name;
      this.setTitle();
    }
    this.modelIndex = index;
    const { suggestions, findings } = suggestionsFor(report, mr.model);
    const settings = this.host.settings(doc.uri);
    const payload: PreviewPayload = {
      uri: this.uri.toString(),
      file: displayName(this.uri),
      modelIndex: index,
      modelName: mr.model.name,
      model: mr.model,
      findings,
      suggestions,
      lsuvFixes: !!this.host.fixEdits && !doc.isClosed,
      input: settings.input,
      thresholds: settings.thresholds,
      sizes: this.ctx.workspaceState.get<RememberedSizes>(sizesKey(this.uri, mr.model.name)),
      docVersion: doc.version,
    };
    this.lastPayload = payload;
    this.post({ type: 'load', runKey: ++this.runKey, payload });
  }

  /** Every message from the page goes through the schema first. */
  private async onMessage(raw: unknown): Promise<void> {
    const v = validateWebviewMessage(raw);
    if (!v.ok) {
      this.log('warn', `rejected a message from the page: ${v.error}`);
      return;
    }
    const m: WebviewMessage = v.value;
    try {
      switch (m.type) {
        case 'ready':
          this.ready = true;
          this.schedule(false);
          break;
        case 'reveal':
          await this.reveal(m.layer);
          break;
        case 'applySuggested':
          await this.applySuggested(m.fixIds);
          break;
        case 'applyLsuv':
          await this.applyLsuv(m.docVersion, m.layers);
          break;
        case 'rememberSizes':
          await this.ctx.workspaceState.update(sizesKey(this.uri, this.modelName), m.sizes);
          if (this.lastPayload) this.lastPayload = { ...this.lastPayload, sizes: m.sizes };
          break;
        case 'export':
          await this.export(m.format, m.name, m.data);
          break;
        case 'log':
          this.log(m.level, m.message);
          break;
      }
    } catch (e) {
      this.log('error', `${m.type} failed: ${(e as Error).message}`);
    }
  }

  private async reveal(layer: number): Promise<void> {
    const node = this.lastPayload?.model.layers[layer];
    const doc = await this.document();
    if (!node || !doc) return;
    const start = doc.positionAt(node.span.start);
    const end = doc.positionAt(node.span.end);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
    const viewColumn = shown?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn, preserveFocus: false, selection: new vscode.Range(start, start) });
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async applyEdits(doc: vscode.TextDocument, edits: readonly TextEdit[]): Promise<boolean> {
    const we = new vscode.WorkspaceEdit();
    for (const e of edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.span.start), doc.positionAt(e.span.end)), e.newText);
    return vscode.workspace.applyEdit(we);
  }

  private async currentModel(doc: vscode.TextDocument): Promise<{ report: FileReport; model: Model } | undefined> {
    const report = await this.host.report(doc);
    if (!report) return undefined;
    const i = findModel(report, this.modelName, this.modelIndex);
    return i === undefined ? undefined : { report, model: report.models[i].model };
  }

  private async applySuggested(fixIds: readonly string[]): Promise<void> {
    const doc = await this.document();
    const cur = doc && (await this.currentModel(doc));
    if (!doc || !cur) {
      this.post({ type: 'applied', what: 'suggested', ok: false, message: 'The model is not available any more.' });
      return;
    }
    // The ids are looked up in the report of the current text: only fixes the analyzer offers now are applied.
    const r = resolveFixIds(cur.report, cur.model, fixIds);
    if (!r.ok) {
      this.post({ type: 'applied', what: 'suggested', ok: false, message: `Nothing applied: ${r.message}.` });
      return;
    }
    const ok = await this.applyEdits(doc, r.plan.edits);
    const extra = [r.plan.conflicts ? `${r.plan.conflicts} left out (their edits overlap another fix's; apply again)` : '', r.missing.length ? `${r.missing.length} no longer offered` : ''].filter(Boolean).join('; ');
    this.post({
      type: 'applied',
      what: 'suggested',
      ok,
      message: ok ? `Applied ${r.plan.applied} suggested fix${r.plan.applied === 1 ? '' : 'es'}${extra ? ` (${extra})` : ''}.` : 'VS Code did not apply the edit.',
    });
  }

  private async applyLsuv(docVersion: number, layers: readonly LsuvLayerRequest[]): Promise<void> {
    const doc = await this.document();
    if (!this.host.fixEdits || !doc) {
      this.post({ type: 'applied', what: 'lsuv', ok: false, message: 'LSUV initializers cannot be written from this build.' });
      return;
    }
    if (doc.version !== docVersion) {
      this.post({ type: 'applied', what: 'lsuv', ok: false, message: 'The file changed since LSUV was computed: compute it again, then apply.' });
      return;
    }
    const cur = await this.currentModel(doc);
    if (!cur) {
      this.post({ type: 'applied', what: 'lsuv', ok: false, message: 'The model is not available any more.' });
      return;
    }
    const intents = lsuvIntents(cur.model, layers);
    if (!intents.ok) {
      this.log('warn', `rejected an LSUV request: ${intents.message}`);
      this.post({ type: 'applied', what: 'lsuv', ok: false, message: `Nothing applied: ${intents.message}.` });
      return;
    }
    const text = doc.getText();
    const groups: TextEdit[][] = [];
    const refused: number[] = [];
    for (const intent of intents.intents) {
      const edits = await this.host.fixEdits(text, doc.fileName, cur.model, intent);
      if (edits && edits.length) groups.push(edits);
      else refused.push(intent.layer);
    }
    if (groups.length === 0) {
      this.post({ type: 'applied', what: 'lsuv', ok: false, message: 'The analyzer cannot write these initializers here (shared or computed initializers).' });
      return;
    }
    const plan = mergeEdits(groups);
    const ok = await this.applyEdits(doc, plan.edits);
    const extra = [refused.length ? `not written for layer${refused.length === 1 ? '' : 's'} ${refused.join(', ')} (the analyzer cannot edit them)` : '', plan.conflicts ? `${plan.conflicts} overlapping` : ''].filter(Boolean).join('; ');
    this.post({ type: 'applied', what: 'lsuv', ok, message: ok ? `Wrote ${plan.applied} LSUV initializer${plan.applied === 1 ? '' : 's'}${extra ? ` (${extra})` : ''}.` : 'VS Code did not apply the edit.' });
  }

  private async export(format: 'svg' | 'png' | 'csv', name: string, data: string): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(this.uri)?.uri ?? vscode.Uri.joinPath(this.uri, '..');
    const filters: Record<string, string[]> = format === 'png' ? { 'PNG image': ['png'] } : format === 'svg' ? { 'SVG image': ['svg'] } : { CSV: ['csv'] };
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, name), filters, title: `Export ${format.toUpperCase()}` });
    if (!target) return;
    const bytes = format === 'png' ? base64ToBytes(data.slice(data.indexOf(',') + 1)) : new TextEncoder().encode(data);
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
      this.post({ type: 'exported', ok: true, message: `Saved ${vscode.workspace.asRelativePath(target, false)}.` });
    } catch (e) {
      this.post({ type: 'exported', ok: false, message: `Could not save: ${(e as Error).message}` });
    }
  }

  onDocumentChanged(doc: vscode.TextDocument): void {
    if (doc.uri.toString() === this.uri.toString()) this.schedule(true);
  }

  show(request: PreviewRequest): void {
    this.modelIndex = request.modelIndex;
    this.panel.reveal(undefined, false);
    this.schedule(false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.onDispose(this);
    this.panel.dispose();
  }
}

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Registers the preview: the handler of `initlens.preview` and the panel serializer. Call from activate(). */
export function registerPreview(context: vscode.ExtensionContext, host: PreviewHost, options: PreviewOptions = {}): vscode.Disposable {
  const panels = new Set<PreviewPanel>();
  const forget = (p: PreviewPanel) => void panels.delete(p);
  const create = (panel: vscode.WebviewPanel, uri: vscode.Uri, modelName: string, modelIndex: number) => {
    const p = new PreviewPanel(panel, uri, modelName, modelIndex, context, host, options, forget);
    panels.add(p);
    return p;
  };

  const handler = (request: PreviewRequest) => {
    const modelName = request.modelName || request.model?.model.name || '';
    // The panel of this model, also when it learned the model's name after it opened (panels keep their key).
    const existing = [...panels.values()].find(
      (p) => p.uri.toString() === request.uri.toString() && (modelName ? p.modelName === modelName : p.modelIndex === request.modelIndex),
    );
    if (existing) {
      existing.show(request);
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      `InitLens: ${modelName || 'preview'}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')] },
    );
    create(panel, request.uri, modelName, request.modelIndex);
    return panel;
  };

  const serializer: vscode.WebviewPanelSerializer = {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const s = sanitizePageState(state);
      let uri: vscode.Uri | undefined;
      try {
        uri = s.uri ? vscode.Uri.parse(s.uri, true) : undefined;
      } catch {
        uri = undefined;
      }
      if (!uri || !MODEL_FILE.test(uri.path)) {
        panel.dispose();
        return;
      }
      create(panel, uri, s.modelName ?? '', s.modelIndex ?? 0);
    },
  };

  const disposables: vscode.Disposable[] = [
    host.registerHandler(handler),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, serializer),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      for (const p of panels.values()) p.onDocumentChanged(e.document);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('initlens')) return;
      for (const p of panels.values()) p.schedule(true);
    }),
    { dispose: () => [...panels.values()].forEach((p) => p.dispose()) },
  ];
  const all = vscode.Disposable.from(...disposables);
  context.subscriptions.push(all);
  return all;
}
