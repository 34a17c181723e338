/**
 * The InitLens extension: diagnostics, code actions, hovers, CodeLens, status and commands over the engine.
 * Activation registers providers and listeners only; the engine (TypeScript's parser inside) is loaded on the first
 * check, after activation has returned. The same file is the Node entry (dist/extension.js; the checks run in a
 * worker thread, dist/check-worker.js, which loads the engine from dist/engine.js) and the web entry
 * (dist/web/extension.js, the engine bundled in, checks on the web extension host's thread: see createChecker.ts).
 */
import * as vscode from 'vscode';
import type { FileReport } from '../core/report';
import type { CheckerInfo } from './checker';
import { FIX_ALL_KIND, InitLensCodeActions, SHOW_DOCS_COMMAND } from './code-actions';
import { InitLensCodeLens, PREVIEW_COMMAND } from './code-lens';
import { InitLensHover } from './hover';
import { docsUrl } from './logic/diagnostics';
import { fixAllPlan } from './logic/fixes';
import { languagesOfActivationEvents } from './logic/languages';
import { checkOptionsOf, readSettings, type Settings } from './logic/settings';
import type { PreviewHandler } from '../preview/host';
import { registerPreview } from '../preview/panel';
import { modelIndexAt } from './logic/codelens';
import { isPreviewArgs, previewHandler, registerPreviewHandler } from './preview';
import type { Engine, Services } from './services';
import { createChecker } from './create-checker';
import { StatusItem } from './status';
import { Validator } from './validator';
import { checkFileFromDisk, checkWorkspace } from './workspace-check';

export interface InitLensApi {
  /** Plugs the preview panel into `initlens.preview`. */
  registerPreviewHandler(handler: PreviewHandler): vscode.Disposable;
  /** The latest report of a checked document (undefined if it is not checked). */
  reportFor(uri: vscode.Uri): FileReport | undefined;
  /** Where the checks run (a worker thread or the host's), for diagnosis and the benchmarks. */
  checkerInfo(): Promise<CheckerInfo>;
  /** The stored check of a document: the version it is of (-1: read from disk) and the engine's time (ms). */
  checkOf(uri: vscode.Uri): { version: number; durationMs: number; publishMs?: number; findings: number } | undefined;
}

/** The engine, in its own file for Node (see esbuild.js) and bundled in for the web. */
const loadEngine = (): Promise<Engine> => import('./engine');

export function activate(context: vscode.ExtensionContext): InitLensApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('InitLens', { log: true });
  const pkg = context.extension.packageJSON as {
    version?: string;
    repository?: unknown;
    activationEvents?: string[];
    contributes?: { configuration?: { properties?: Record<string, { items?: { enum?: string[] } }> } };
  };
  const languages = languagesOfActivationEvents(pkg.activationEvents);
  const selector: vscode.DocumentSelector = languages.map((language) => ({ language }));
  const knownFrameworks = pkg.contributes?.configuration?.properties?.['initlens.frameworks']?.items?.enum ?? ['tfjs'];

  // Settings, per workspace folder, read once until they change.
  const settingsCache = new Map<string, Settings>();
  const warned = new Set<string>();
  const settingsFor = (uri?: vscode.Uri): Settings => {
    const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    const key = folder?.uri.toString() ?? '';
    let s = settingsCache.get(key);
    if (!s) {
      const cfg = vscode.workspace.getConfiguration('initlens', folder?.uri ?? uri);
      const read = readSettings((k) => cfg.get(k), knownFrameworks);
      for (const w of read.warnings) {
        if (warned.has(w)) continue;
        warned.add(w);
        log.warn(`ignored setting: ${w}`);
      }
      s = read.settings;
      settingsCache.set(key, s);
    }
    return s;
  };

  let engine: Promise<Engine> | undefined;
  const engineHere = (): Promise<Engine> => {
    engine ??= (async () => {
      const e0 = performance.now();
      const loaded = await loadEngine();
      log.info(`engine loaded in ${(performance.now() - e0).toFixed(0)} ms on the extension host thread (analyzers: ${loaded.ANALYZER_INFO.map((a) => a.id).join(', ')})`);
      return loaded;
    })().catch((e: unknown) => {
      engine = undefined;
      log.error(`the engine could not be loaded: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw e;
    });
    return engine;
  };
  const checker = createChecker(engineHere, log);
  const services: Services = {
    engine: engineHere,
    checker,
    settings: settingsFor,
    log,
    repository: pkg.repository,
    languages,
  };

  const validator = new Validator(services);
  const codeLens = new InitLensCodeLens(validator, services);
  const codeActions = new InitLensCodeActions(validator, services);
  const status = new StatusItem(selector, validator, services);

  const revalidateOpen = () => {
    for (const doc of vscode.workspace.textDocuments) if (validator.serves(doc)) validator.schedule(doc, true);
  };

  let lensTimer: ReturnType<typeof setTimeout> | undefined;
  const lensShown = new Map<string, unknown>();
  context.subscriptions.push(
    log,
    checker,
    validator,
    codeLens,
    status,
    vscode.languages.registerCodeActionsProvider(selector, codeActions, InitLensCodeActions.metadata),
    vscode.languages.registerHoverProvider(selector, new InitLensHover(validator, services)),
    vscode.languages.registerCodeLensProvider(selector, codeLens),

    vscode.workspace.onDidOpenTextDocument((doc) => validator.schedule(doc, true)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0 || !validator.serves(e.document)) return;
      if (settingsFor(e.document.uri).run === 'onType') validator.schedule(e.document);
      else validator.cancel(e.document.uri);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => validator.schedule(doc, true)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const key = doc.uri.toString();
      if (validator.fromWorkspaceCheck.has(key) && doc.uri.scheme !== 'untitled') {
        // Keep the Problems panel's workspace results, for the text on disk (the editor's may have been discarded).
        validator.cancel(doc.uri);
        checkFileFromDisk(doc.uri, validator, services).catch(() => validator.forget(doc.uri));
      } else {
        validator.forget(doc.uri);
      }
    }),
    vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => validator.forget(uri))),
    vscode.workspace.onDidRenameFiles((e) => e.files.forEach(({ oldUri }) => validator.forget(oldUri))),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('initlens')) return;
      settingsCache.clear();
      log.info('settings changed: checking the open documents again');
      revalidateOpen();
      codeLens.refresh();
      status.update();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => status.update()),
    validator.onDidChange((uri) => {
      const key = uri.toString();
      if (vscode.window.activeTextEditor?.document.uri.toString() === key) status.update();
      // The lenses follow the stored check: refresh them when it changed, not on every keystroke (VS Code asks
      // for them again after edits anyway, and a 100-model file has 200 lenses to send).
      const state = validator.state(uri);
      if (lensShown.get(key) === state) return;
      if (state) lensShown.set(key, state);
      else lensShown.delete(key);
      if (lensTimer) clearTimeout(lensTimer);
      lensTimer = setTimeout(() => codeLens.refresh(), 50);
    }),
    { dispose: () => lensTimer && clearTimeout(lensTimer) },

    vscode.commands.registerCommand('initlens.showOutput', () => log.show()),
    vscode.commands.registerCommand('initlens.restart', () => {
      validator.clearAll();
      checker.restart();
      settingsCache.clear();
      warned.clear();
      log.info('restarted: diagnostics cleared, checking the open documents again');
      revalidateOpen();
      codeLens.refresh();
      status.update();
    }),
    vscode.commands.registerCommand('initlens.checkWorkspace', () => checkWorkspace(validator, services)),
    vscode.commands.registerCommand('initlens.fixAll', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const state = await validator.ensure(editor.document);
      if (!state) return;
      const settings = settingsFor(editor.document.uri);
      const plan = fixAllPlan(state.report.findings, { includeUnsafe: settings.fixAll.includeInitializerSwaps });
      const action = codeActions.fixAllAction(editor.document, state, settings.fixAll.includeInitializerSwaps);
      if (action?.edit) await vscode.workspace.applyEdit(action.edit);
      const unsafe = plan.skippedUnsafe
        ? ` ${plan.skippedUnsafe} initializer swap${plan.skippedUnsafe === 1 ? ' is' : 's are'} left as quick fixes ("initlens.fixAll.includeInitializerSwaps" applies them too).`
        : '';
      void vscode.window.showInformationMessage(plan.applied ? `InitLens applied ${plan.applied} fix${plan.applied === 1 ? '' : 'es'}.${unsafe}` : `InitLens: no auto-fixable problems.${unsafe}`);
    }),
    vscode.commands.registerCommand(SHOW_DOCS_COMMAND, (ruleId: unknown) => {
      const href = typeof ruleId === 'string' ? docsUrl(pkg.repository, ruleId) : undefined;
      if (href) return vscode.env.openExternal(vscode.Uri.parse(href));
      return undefined;
    }),
    vscode.commands.registerCommand(PREVIEW_COMMAND, async (arg?: unknown) => {
      let uri: vscode.Uri | undefined;
      let modelIndex = 0;
      let modelName: string | undefined;
      if (isPreviewArgs(arg)) {
        uri = vscode.Uri.parse(arg.uri);
        modelIndex = arg.modelIndex;
        modelName = arg.modelName;
      } else {
        uri = vscode.window.activeTextEditor?.document.uri;
      }
      const state = uri ? validator.state(uri) : undefined;
      // From the palette or the editor title: the model under the cursor.
      const editor = vscode.window.activeTextEditor;
      if (!isPreviewArgs(arg) && state && editor) modelIndex = modelIndexAt(state.report.models, editor.document.offsetAt(editor.selection.active));
      const model = state?.report.models[modelIndex];
      const handler = previewHandler();
      if (!handler) {
        void vscode.window.showInformationMessage(
          `The InitLens preview is not part of this build yet${modelName ? ` (asked for model '${modelName}')` : ''}. The CodeLens, hovers and diagnostics show the predicted numbers.`,
        );
        return undefined;
      }
      if (!uri) {
        void vscode.window.showInformationMessage('InitLens: open a file with a model to preview it.');
        return undefined;
      }
      return handler({ uri, modelIndex, modelName: modelName ?? model?.model.name ?? '', model });
    }),
  );

  // The preview panel plugs into initlens.preview through its host; it checks the current text of the document it
  // shows (the stored report when it is current), whatever the settings say about diagnostics. The LSUV fix edits
  // are made on this thread (a rare, small job).
  const previewReport = async (doc: vscode.TextDocument): Promise<FileReport | undefined> => {
    const current = validator.current(doc);
    if (current) return current.report;
    const settings = settingsFor(doc.uri);
    const outcome = await checker.check({ text: doc.getText(), path: doc.uri.path || doc.fileName, languageId: doc.languageId, options: checkOptionsOf(settings), force: true });
    return outcome?.kind === 'checked' ? outcome.report : undefined;
  };
  context.subscriptions.push(
    registerPreview(context, {
      report: previewReport,
      settings: settingsFor,
      fixEdits: async (text, fileName, model, intent) => (await services.engine()).fixEdits(text, fileName, model, intent),
      log,
      registerHandler: registerPreviewHandler,
    }),
  );

  // Documents already open when the extension starts (after activation returns: timers).
  revalidateOpen();
  status.update();
  log.info(`InitLens ${pkg.version ?? ''} activated in ${(performance.now() - t0).toFixed(1)} ms for ${languages.join(', ')}; fix-all kind ${FIX_ALL_KIND.value}`);

  return {
    registerPreviewHandler,
    reportFor: (uri) => validator.state(uri)?.report,
    checkerInfo: () => checker.info(),
    checkOf: (uri) => {
      const s = validator.state(uri);
      return s && { version: s.version, durationMs: s.durationMs, publishMs: s.publishMs, findings: s.report.findings.length };
    },
  };
}

export function deactivate(): void {}
