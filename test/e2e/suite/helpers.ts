/**
 * What the in-host suites share: the workspace's files, InitLens' diagnostics as the user reads them, waits on
 * conditions (never fixed sleeps), settings, code actions and documents opened and closed the way the user does.
 * Runs inside the extension host (bundled with the suite by the harness), with the real `vscode` API.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'initlens.initlens';

export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri;
}

export function fileUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), name);
}

export const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code));

/** InitLens' diagnostics on a file, wherever the extension runs (they reach every extension host). */
export const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'initlens');

/** What the Problems panel shows of a diagnostic: code, 0-based start line and character, message. */
export interface Shown {
  code: string;
  line: number;
  character: number;
  message: string;
}

export const shown = (ds: readonly vscode.Diagnostic[]): Shown[] =>
  ds
    .map((d) => ({ code: codeOf(d), line: d.range.start.line, character: d.range.start.character, message: d.message }))
    .sort((a, b) => a.line - b.line || a.character - b.character || a.code.localeCompare(b.code));

export async function until<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  let v = await get();
  while (!ok(v)) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(v, null, 1)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    v = await get();
  }
  return v;
}

/** Waits until InitLens shows exactly `count` diagnostics on `uri` (and returns them, sorted as the panel does). */
export const diagnosticsCount = (uri: vscode.Uri, count: number, ms?: number) =>
  until(`${count} InitLens diagnostics on ${vscode.workspace.asRelativePath(uri)}`, () => ours(uri), (x) => x.length === count, ms);

export async function open(name: string | vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(typeof name === 'string' ? fileUri(name) : name);
  return vscode.window.showTextDocument(doc);
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/**
 * A new file in the workspace holding the text of `source` as it is on disk (the runs turn auto-save off, and the
 * examples are saved only by the suite's last test).
 */
export async function copyOf(source: string, name: string, transform: (text: string) => string = (t) => t): Promise<{ uri: vscode.Uri; text: string }> {
  const text = transform(await readText(fileUri(source)));
  const uri = fileUri(name);
  await writeText(uri, text);
  return { uri, text };
}

/**
 * Sets a workspace setting and waits until this extension host reads it back (the change event that makes
 * InitLens re-read its settings comes with it, when InitLens runs in this host).
 */
export async function setSetting(key: string, value: unknown, section = 'initlens'): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
  const read = () => JSON.stringify(vscode.workspace.getConfiguration(section).inspect(key)?.workspaceValue);
  await until(`${section}.${key} = ${JSON.stringify(value)} in this extension host`, read, (v) => v === JSON.stringify(value));
}

/** Runs `body` with the settings set, and puts them back (to their defaults) whatever happens. */
export async function withSettings(settings: Record<string, unknown>, body: () => Promise<void>, section = 'initlens'): Promise<void> {
  try {
    for (const [k, v] of Object.entries(settings)) await setSetting(k, v, section);
    await body();
  } finally {
    for (const k of Object.keys(settings)) await setSetting(k, undefined, section);
  }
}

export async function actionsFor(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const all = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
  return all.filter((a): a is vscode.CodeAction => 'title' in a && ('edit' in a || 'kind' in a || 'command' in a));
}

/** The quick fixes offered on one diagnostic, by title. */
export async function quickFixes(uri: vscode.Uri, d: vscode.Diagnostic): Promise<Map<string, vscode.CodeAction>> {
  const actions = await actionsFor(uri, d.range, vscode.CodeActionKind.QuickFix.value);
  return new Map(actions.map((a) => [a.title, a]));
}

/** Applies the code action titled `title` (it must be offered) and returns the document's text afterwards. */
export async function applyAction(doc: vscode.TextDocument, actions: Map<string, vscode.CodeAction>, title: string): Promise<string> {
  const a = actions.get(title);
  assert.ok(a, `"${title}" is offered: ${JSON.stringify([...actions.keys()])}`);
  assert.ok(a.edit, `"${title}" carries its edit`);
  assert.ok(await vscode.workspace.applyEdit(a.edit));
  return doc.getText();
}

export function mdText(h: vscode.Hover): string {
  return h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
}

/**
 * Opens a file in an editor the way the user does (`vscode.open`, no extension-held reference) and returns its
 * document. A document opened with workspace.openTextDocument stays open up to three minutes after its editor
 * closes (VS Code keeps extension-opened models), so closing tests open files this way.
 */
export async function openAsUser(uri: vscode.Uri): Promise<vscode.TextDocument> {
  await vscode.commands.executeCommand('vscode.open', uri);
  const doc = await until(`${vscode.workspace.asRelativePath(uri)} open`, () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()), (d) => !!d);
  return doc!;
}

/** Shows the document and closes its editor without saving. */
export async function revertAndClose(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** Lines of a text whose line endings are `\n`. */
export const lines = (text: string) => text.split('\n');

/** Inserts `text` at the end of the document, as typing would (the document becomes dirty). */
export async function append(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(doc.uri, doc.positionAt(doc.getText().length), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

/** Deletes the 0-based line `line` (its text must be `expected`: the test edits what it means to). */
export async function deleteLine(doc: vscode.TextDocument, line: number, expected: string): Promise<void> {
  assert.equal(doc.lineAt(line).text, expected);
  const edit = new vscode.WorkspaceEdit();
  edit.delete(doc.uri, new vscode.Range(line, 0, line + 1, 0));
  assert.ok(await vscode.workspace.applyEdit(edit));
}

/** Saves the document as the user does (File: Save on its editor: an explicit save, save participants run). */
export async function saveAsUser(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.save');
  await until(`${vscode.workspace.asRelativePath(doc.uri)} saved`, () => doc.isDirty, (dirty) => !dirty);
}

/** Waits until InitLens' diagnostics on `uri` read exactly `expected` (code, start, message; in panel order). */
export async function expectShown(uri: vscode.Uri, expected: readonly Shown[], ms?: number): Promise<vscode.Diagnostic[]> {
  const want = JSON.stringify(expected);
  await until(`the diagnostics on ${vscode.workspace.asRelativePath(uri)} to read ${want}`, () => shown(ours(uri)), (s) => JSON.stringify(s) === want, ms);
  return ours(uri);
}

/** Precondition of the tests that type and then save: no auto-save, which would save (and so check) on its own. */
export function assertNoAutoSave(): void {
  assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off', 'precondition: "files.autoSave": "off" (test/e2e/extension.e2e.ts sets it)');
}
