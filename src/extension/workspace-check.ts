/**
 * "InitLens: Check Workspace": every file an analyzer claims (honouring files.exclude and search.exclude, never
 * node_modules or build output), read with `workspace.fs` (so it works in virtual and web workspaces), checked and
 * published to the Problems panel, under a cancellable progress notification.
 */
import * as vscode from 'vscode';
import { hasExtension, includeGlobOf } from './logic/languages';
import { analyzerEnabled, checkOptionsOf, optionsKey } from './logic/settings';
import { decodeUtf8, excludeGlobOf, MAX_FILE_BYTES, workspaceSummaryText, type WorkspaceSummary } from './logic/workspace';
import type { Services } from './services';
import type { Validator } from './validator';

/** Yields to the extension host between files, so typing and other extensions stay responsive. */
const yieldNow = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Checks one file from disk and publishes it (the workspace check, and an editor closed on a checked file). */
export async function checkFileFromDisk(uri: vscode.Uri, validator: Validator, services: Services): Promise<{ checked: boolean; reason?: string; models?: number; findings?: number }> {
  const settings = services.settings(uri);
  const fileName = uri.path;
  if (!settings.enable) return { checked: false, reason: 'disabled' };
  const analyzer = (await services.checker.analyzers()).find((a) => hasExtension(fileName, a.extensions));
  if (!analyzer || !analyzerEnabled(settings, analyzer.id)) return { checked: false, reason: 'not analyzed' };
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_FILE_BYTES) return { checked: false, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  const text = decodeUtf8(await vscode.workspace.fs.readFile(uri));
  if (text === undefined) return { checked: false, reason: 'not UTF-8' };
  const outcome = await services.checker.check({ text, path: fileName, frameworks: settings.frameworks, options: checkOptionsOf(settings), repository: services.repository });
  if (!outcome) return { checked: false, reason: 'not checked' };
  // Opened in an editor meanwhile: the editor's text is what counts, and the validator checks it.
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc && !doc.isClosed && validator.serves(doc)) return { checked: true, models: outcome.kind === 'checked' ? outcome.report.models.length : 0, findings: outcome.kind === 'checked' ? outcome.report.findings.length : 0 };
  if (outcome.kind === 'skipped') {
    if (outcome.code !== 'no-model') return { checked: false, reason: 'not analyzed' };
    validator.collection.delete(uri);
    return { checked: true, models: 0, findings: 0 };
  }
  const { report } = outcome;
  // Version -1: a file read from disk, not an editor's document; hover and code actions re-check opened documents.
  const opened = () => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (!(await validator.publish(uri, text, -1, optionsKey(settings), outcome, opened))) return { checked: true, models: report.models.length, findings: report.findings.length };
  validator.fromWorkspaceCheck.add(uri.toString());
  for (const p of report.problems) services.log.info(`${uri.toString(true)}: analysis limited: ${p.message}`);
  return { checked: true, models: report.models.length, findings: report.findings.length };
}

export async function checkWorkspace(validator: Validator, services: Services): Promise<WorkspaceSummary | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('InitLens: open a folder or workspace to check it.');
    return undefined;
  }
  const log = services.log;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'InitLens: checking the workspace', cancellable: true },
    async (progress, token) => {
      const t0 = performance.now();
      const settings = services.settings();
      const extensions = (await services.checker.analyzers()).filter((a) => analyzerEnabled(settings, a.id)).flatMap((a) => a.extensions);
      const summary: WorkspaceSummary = { files: 0, checked: 0, models: 0, findings: 0, skipped: 0, cancelled: false, ms: 0 };
      if (!extensions.length) {
        void vscode.window.showInformationMessage('InitLens: every analyzer is off in "initlens.frameworks".');
        return summary;
      }
      const search = vscode.workspace.getConfiguration('search');
      const files = vscode.workspace.getConfiguration('files');
      const exclude = excludeGlobOf([files.get<Record<string, unknown>>('exclude'), search.get<Record<string, unknown>>('exclude')]);
      const include = includeGlobOf(extensions);
      log.info(`workspace check: include ${include}, exclude ${exclude}`);
      progress.report({ message: 'finding files…' });
      const uris = await vscode.workspace.findFiles(include, exclude, undefined, token);
      uris.sort((a, b) => a.toString().localeCompare(b.toString()));
      summary.files = uris.length;
      const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
      for (let i = 0; i < uris.length; i++) {
        if (token.isCancellationRequested) {
          summary.cancelled = true;
          break;
        }
        const uri = uris[i];
        progress.report({ message: `${i + 1}/${uris.length} ${vscode.workspace.asRelativePath(uri)}`, increment: 100 / uris.length });
        try {
          const doc = open.get(uri.toString());
          if (doc && validator.serves(doc)) {
            // An open editor's text may be unsaved: check what the user sees.
            const state = await validator.ensure(doc);
            summary.checked++;
            summary.models += state?.report.models.length ?? 0;
            summary.findings += state?.report.findings.length ?? 0;
          } else {
            const r = await checkFileFromDisk(uri, validator, services);
            if (r.checked) {
              summary.checked++;
              summary.models += r.models ?? 0;
              summary.findings += r.findings ?? 0;
            } else if (r.reason && r.reason !== 'not analyzed') {
              summary.skipped++;
              log.info(`workspace check: skipped ${uri.toString(true)}: ${r.reason}`);
            }
          }
        } catch (e) {
          summary.skipped++;
          log.warn(`workspace check: could not check ${uri.toString(true)}: ${e instanceof Error ? e.message : String(e)}`);
        }
        await yieldNow();
      }
      summary.ms = performance.now() - t0;
      const text = workspaceSummaryText(summary);
      log.info(`${text} (${summary.ms.toFixed(0)} ms)`);
      void vscode.window.showInformationMessage(text, 'Show Problems').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return summary;
    },
  );
}
