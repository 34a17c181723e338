/**
 * In-host benchmark suite (runs inside VS Code's extension host through the e2e driver): keystroke-to-diagnostics
 * latency. Each "keystroke" is a one-character edit of an activation string in an open model file; the time is
 * taken from the edit to the next diagnostics change of that document carrying InitLens findings. Results are
 * written to the path in INITLENS_BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

async function measure(file: string, edits: number): Promise<number[]> {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, file));
  await vscode.window.showTextDocument(doc);
  const ours = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'initlens');
  // Wait for the first check (engine load included) before timing keystrokes.
  for (let i = 0; i < 200 && ours().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  const samples: number[] = [];
  // Toggle one activation string 'relu' ↔ 'selu': each edit changes the findings.
  const at = doc.getText().indexOf("'relu'") + 1;
  for (let k = 0; k < edits; k++) {
    const pos = doc.positionAt(at);
    const next = doc.getText().charAt(at) === 'r' ? 's' : 'r';
    // Done when the diagnostics describe the new text: a selu-needs-lecun finding appears ('selu') or goes ('relu').
    const wantSelu = next === 's';
    const settled = () => ours().some((d) => codeOf(d) === 'selu-needs-lecun') === wantSelu;
    const changed = new Promise<number>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === doc.uri.toString()) && settled()) {
          sub.dispose();
          resolve(performance.now());
        }
      });
    });
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(pos, pos.translate(0, 1)), next);
    const t0 = performance.now();
    await vscode.workspace.applyEdit(edit);
    samples.push((await changed) - t0);
  }
  return samples;
}

export const tests = [
  {
    name: 'keystroke-to-diagnostics latency',
    timeoutMs: 300_000,
    async run() {
      const out: Record<string, number[]> = {};
      for (const file of (process.env.INITLENS_BENCH_FILES ?? 'mnist-mlp-default-init.ts').split(',')) out[file] = await measure(file, 30);
      writeFileSync(process.env.INITLENS_BENCH_OUT!, JSON.stringify(out));
    },
  },
];
