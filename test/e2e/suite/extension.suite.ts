/**
 * InitLens inside a real VS Code extension host (run by test/e2e/extension.e2e.ts through the harness' driver):
 * the installed .vsix activates, publishes diagnostics with rule codes and documentation links on
 * examples/mnist-mlp-default-init.ts, answers vscode.executeCodeActionProvider / executeHoverProvider /
 * executeCodeLensProvider, applies its quick fix and disable comment, follows settings changes, keeps initializer
 * swaps out of source.fixAll unless opted in; then, on copies of the examples, what fix-all leaves in the document
 * (./cases/fix-all.ts), Python's fixes and disable comments (./cases/python.ts), `run: onSave`, `enable: false` and
 * closing a document (./cases/lifecycle.ts); fills the Problems panel with Check Workspace (TypeScript and Python
 * files never opened), opens the preview, and checks a 10,000-line file in its worker thread while the extension
 * host keeps ticking.
 *
 * The workspace is a copy of examples/ with examples/python/ as python/ (the harness opens it), plus
 * generated-10000.ts; auto-save is off.
 */
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { InHostTest } from '../driver/api';
import { fixAllTests } from './cases/fix-all';
import { lifecycleTests } from './cases/lifecycle';
import { MLP_PY, MLP_PY_DIAGNOSTICS, pythonTests } from './cases/python';
import { actionsFor, codeOf, EXTENSION_ID, expectShown, fileUri, mdText, open, openAsUser, ours, revertAndClose, setSetting, until } from './helpers';

const MNIST = 'mnist-mlp-default-init.ts';

let activationMs: number | undefined;
/** mnist-mlp-default-init.ts as it was before the tests edited it (the workbench may auto-save). */
let mnistOriginal: string | undefined;

export const tests: InHostTest[] = [
  {
    name: 'the extension is installed and activates in milliseconds, before any model file is opened',
    async run({ log }) {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is installed`);
      assert.equal(ext.packageJSON.browser, './dist/web/extension.js');
      if (!ext.isActive) {
        const t0 = Date.now();
        await ext.activate();
        activationMs = Date.now() - t0;
      }
      assert.ok(ext.isActive);
      assert.equal(typeof ext.exports.registerPreviewHandler, 'function');
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['initlens.checkWorkspace', 'initlens.fixAll', 'initlens.preview', 'initlens.showOutput', 'initlens.restart']) {
        assert.ok(commands.includes(c), `${c} registered`);
      }
      log(`InitLens activation (require + activate, measured by ext.activate()): ${activationMs ?? 'already active'} ms`);
      if (activationMs !== undefined) assert.ok(activationMs < 1000, `activation took ${activationMs} ms`);
    },
  },
  {
    name: 'diagnostics on mnist-mlp-default-init.ts: relu-needs-he ×8 and vanishing-signal, with documentation links',
    async run() {
      const editor = await open(MNIST);
      const uri = editor.document.uri;
      mnistOriginal = editor.document.getText();
      const ds = await until('9 InitLens diagnostics', () => ours(uri), (x) => x.length === 9);
      assert.deepEqual(ds.map(codeOf).sort(), [...Array(8).fill('relu-needs-he'), 'vanishing-signal'].sort());
      for (const d of ds) {
        assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
        const code = d.code as { value: string; target: vscode.Uri };
        assert.equal(code.target.toString(true), `https://github.com/initlens/initlens/blob/main/docs/rules/${code.value}.md`);
      }
      const vanishing = ds.find((d) => codeOf(d) === 'vanishing-signal')!;
      assert.equal(vanishing.range.start.line, 9);
      assert.match(vanishing.message, /^signal vanishes: its second moment entering the read-out dense \(layer 10\) is ×7\.6e-4/);
      assert.equal(vanishing.relatedInformation?.[0].message, 'the read-out layer');
      assert.equal(vanishing.relatedInformation?.length, 4);
      const first = ds.find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 11)!;
      assert.match(first.message, /^the default glorotNormal before relu: per-layer signal gain 0\.58/);
    },
  },
  {
    name: 'vscode.executeCodeActionProvider: quick fix (preferred), fix all, disable line and file, documentation',
    async run() {
      const uri = fileUri(MNIST);
      const d = ours(uri).find((x) => codeOf(x) === 'relu-needs-he' && x.range.start.line === 11)!;
      const actions = await actionsFor(uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const titles = actions.map((a) => a.title);
      for (const t of [
        'Use heUniform for the kernel of dense (layer 2)',
        'Fix all relu-needs-he problems',
        'Disable relu-needs-he for this line',
        'Disable relu-needs-he for the entire file',
        'Show documentation for relu-needs-he',
      ]) {
        assert.ok(titles.includes(t), `missing "${t}" in ${JSON.stringify(titles)}`);
      }
      assert.equal(actions.find((a) => a.title.startsWith('Use heUniform'))!.isPreferred, true);
    },
  },
  {
    name: 'applying the quick fix inserts kernelInitializer and the diagnostic disappears',
    async run() {
      const editor = await open(MNIST);
      const uri = editor.document.uri;
      const d = ours(uri).find((x) => codeOf(x) === 'relu-needs-he' && x.range.start.line === 11)!;
      const fix = (await actionsFor(uri, d.range, vscode.CodeActionKind.QuickFix.value)).find((a) => a.title.startsWith('Use heUniform'))!;
      assert.ok(fix.edit, 'the fix carries its edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(editor.document.lineAt(11).text, "  model.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'heUniform' }));");
      const after = await until('7 relu-needs-he', () => ours(uri), (x) => x.filter((y) => codeOf(y) === 'relu-needs-he').length === 7);
      assert.ok(!after.some((y) => y.range.start.line === 11 && codeOf(y) === 'relu-needs-he'));
    },
  },
  {
    name: '"Disable relu-needs-he for this line" writes the comment and the diagnostic goes',
    async run() {
      const editor = await open(MNIST);
      const uri = editor.document.uri;
      const d = ours(uri).find((x) => codeOf(x) === 'relu-needs-he' && x.range.start.line === 12)!;
      const disable = (await actionsFor(uri, d.range, vscode.CodeActionKind.QuickFix.value)).find((a) => a.title === 'Disable relu-needs-he for this line')!;
      assert.ok(await vscode.workspace.applyEdit(disable.edit!));
      assert.equal(editor.document.lineAt(12).text, '  // initlens-disable-next-line relu-needs-he');
      await until('6 relu-needs-he', () => ours(uri), (x) => x.filter((y) => codeOf(y) === 'relu-needs-he').length === 6);
    },
  },
  {
    name: 'vscode.executeHoverProvider on a layer shows the realized init, fans and predicted gains',
    async run() {
      const editor = await open(MNIST);
      const line = [...Array(editor.document.lineCount).keys()].find((i) => editor.document.lineAt(i).text === "  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));")!;
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(line, 24));
      const text = hovers.map(mdText).join('\n---\n');
      assert.match(text, /\| \*\*dense\*\* \| layer \d+ of 10 · model `\w+` \|/);
      assert.match(text, /\| kernel \| the default glorotNormal: truncated normal, std 0\.0\d+, cut at ±0\.\d+ \(0\.774× the nominal variance\) \|/);
      assert.match(text, /\| fans \| in 256 · out 256 · c = fan-in·E\[W²\] = 0\.774 \|/);
      assert.match(text, /\| activation \| relu, gain 0\.5 \|/);
      assert.match(text, /\| layer gain \| ×0\.39 forward · ×[\d.]+ backward \|/);
    },
  },
  {
    name: 'vscode.executeCodeLensProvider: layer count, signal at the read-out, Preview',
    async run() {
      const uri = fileUri(MNIST);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      const mine = lenses.filter((l) => l.command?.title.startsWith('InitLens:') || l.command?.command === 'initlens.preview');
      assert.equal(mine.length, 2, JSON.stringify(lenses.map((l) => l.command?.title)));
      assert.match(mine[0].command!.title, /^InitLens: 10 layers · signal ×(?:0\.00\d+|\d(?:\.\d)?e-4) after 8 weighted layers/);
      assert.equal(mine[1].command!.title, 'Preview');
      assert.equal(mine[0].range.start.line, 9);
    },
  },
  {
    name: 'a change to initlens.rules applies without a reload',
    async run() {
      const uri = fileUri(MNIST);
      try {
        await setSetting('rules', { 'relu-needs-he': 'off', 'vanishing-signal': 'error' });
        const ds = await until('vanishing-signal alone, as an error', () => ours(uri), (x) => x.length === 1 && codeOf(x[0]) === 'vanishing-signal');
        assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Error);
      } finally {
        await setSetting('rules', undefined);
      }
      await until('relu-needs-he back', () => ours(uri), (x) => x.some((y) => codeOf(y) === 'relu-needs-he'));
    },
  },
  {
    name: 'source.fixAll leaves initializer swaps alone unless initlens.fixAll.includeInitializerSwaps is on',
    async run() {
      const uri = fileUri(MNIST);
      const whole = new vscode.Range(0, 0, 40, 0);
      const none = await actionsFor(uri, whole, 'source.fixAll.initlens');
      assert.deepEqual(none.map((a) => a.title), []);
      try {
        await setSetting('fixAll.includeInitializerSwaps', true);
        const all = await until('the fix-all action', () => actionsFor(uri, whole, 'source.fixAll.initlens'), (x) => x.length === 1);
        assert.equal(all[0].kind?.value, 'source.fixAll.initlens');
        assert.equal(all[0].edit?.get(uri).length, 6);
      } finally {
        await setSetting('fixAll.includeInitializerSwaps', undefined);
      }
      // The safe fix (tfjs-falsy-arg) is in fix-all by default.
      const falsy = fileUri('falsy-minval.ts');
      await open('falsy-minval.ts');
      await until('tfjs-falsy-arg', () => ours(falsy), (x) => x.some((y) => codeOf(y) === 'tfjs-falsy-arg'));
      const safe = await actionsFor(falsy, new vscode.Range(0, 0, 40, 0), 'source.fixAll.initlens');
      assert.equal(safe.length, 1);
      assert.deepEqual(safe[0].edit?.get(falsy).map((e) => e.newText), ['Number.MIN_VALUE']);
    },
  },
  ...fixAllTests,
  ...pythonTests,
  ...lifecycleTests,
  {
    name: 'InitLens: Check Workspace fills the Problems panel for files never opened',
    timeoutMs: 120_000,
    async run() {
      const never = ['random-normal-wide.js', 'lstm-sentiment.ts', 'symmetric-zeros.ts', 'core-api-mlp.ts', 'mnist-mlp-he.ts', MLP_PY];
      const isOpen = (name: string) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === fileUri(name).toString());
      assert.deepEqual(never.filter(isOpen), [], 'these files were never opened');
      const summary = await vscode.commands.executeCommand<{ files: number; checked: number; findings: number; cancelled: boolean }>('initlens.checkWorkspace');
      assert.ok(summary && !summary.cancelled && summary.checked >= 20, JSON.stringify(summary));
      for (const [name, rule] of [
        ['random-normal-wide.js', 'exploding-signal'],
        ['lstm-sentiment.ts', 'lstm-forget-bias'],
        ['symmetric-zeros.ts', 'symmetric-init'],
        ['core-api-mlp.ts', 'fixed-scale'],
      ] as const) {
        await until(`${rule} in ${name}`, () => ours(fileUri(name)), (x) => x.some((d) => codeOf(d) === rule));
      }
      assert.deepEqual(ours(fileUri('mnist-mlp-he.ts')), []);
      // A Python file: the same diagnostics as when it is open (tests/cases/python.ts), read from disk.
      await expectShown(fileUri(MLP_PY), MLP_PY_DIAGNOSTICS);
      assert.deepEqual(never.filter(isOpen), [], 'the workspace check opened no document');
    },
  },
  {
    name: 'closing an edited file that Check Workspace filled shows the results for the text on disk again',
    timeoutMs: 120_000,
    async run() {
      const uri = fileUri(MLP_PY);
      const doc = await openAsUser(uri);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '# initlens: disable-file=relu-needs-he\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await until('no diagnostics for the edited text', () => ours(uri), (x) => x.length === 0);
      await revertAndClose(doc);
      await until('the document closed', () => doc.isClosed, (x) => x, 60_000);
      await expectShown(uri, MLP_PY_DIAGNOSTICS);
    },
  },
  {
    name: 'initlens.preview from the CodeLens opens the preview panel, and a registered handler receives the model',
    async run() {
      const uri = fileUri(MNIST);
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      const preview = lenses.find((l) => l.command?.command === 'initlens.preview')!;
      await vscode.commands.executeCommand('initlens.preview', ...(preview.command!.arguments ?? []));
      // The panel is registered in activate(): the command opens it (test/e2e/preview.e2e.ts drives what it shows).
      const panelTab = () =>
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('initlens.preview'));
      const tab = await until('the preview panel', panelTab, (t) => !!t);
      await vscode.window.tabGroups.close(tab!);
      const args = preview.command!.arguments?.[0] as { modelName: string };
      const seen: { modelName: string; layers?: number }[] = [];
      const reg = ext.exports.registerPreviewHandler((r: { modelName: string; model?: { model: { layers: unknown[] } } }) => {
        seen.push({ modelName: r.modelName, layers: r.model?.model.layers.length });
      });
      try {
        await vscode.commands.executeCommand('initlens.preview', ...(preview.command!.arguments ?? []));
      } finally {
        reg.dispose();
      }
      assert.deepEqual(seen, [{ modelName: args.modelName, layers: 10 }]);
    },
  },
  {
    name: 'a PyTorch file gets diagnostics too (the Python analyzer is served)',
    async run() {
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      assert.ok((ext.packageJSON.activationEvents as string[]).includes('onLanguage:python'), 'the manifest activates InitLens on Python files');
      const uri = fileUri('small_torch.py');
      const text = [
        'import torch',
        'from torch import nn',
        'import torch.nn.functional as F',
        '',
        '',
        'class Small(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.fc1 = nn.Linear(784, 256)',
        '        self.fc2 = nn.Linear(256, 10)',
        '        nn.init.xavier_uniform_(self.fc1.weight)',
        '',
        '    def forward(self, x):',
        '        return self.fc2(F.relu(self.fc1(x)))',
        '',
      ].join('\n');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      assert.equal(editor.document.languageId, 'python');
      const ds = await until('relu-needs-he on small_torch.py', () => ours(uri), (x) => x.some((d) => codeOf(d) === 'relu-needs-he'));
      const d = ds.find((x) => codeOf(x) === 'relu-needs-he')!;
      assert.equal(d.range.start.line, 10);
      const titles = (await actionsFor(uri, d.range, vscode.CodeActionKind.QuickFix.value)).map((a) => a.title);
      assert.ok(titles.some((t) => /^Use kaiming_uniform_ for the kernel of nn\.Linear 'fc1'/.test(t)), JSON.stringify(titles));
      assert.ok(titles.includes('Disable relu-needs-he for this line'));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    },
  },
  {
    name: 'a 10,000-line file (1,100 findings) gets its diagnostics from the worker thread, opened and while typed in',
    timeoutMs: 240_000,
    async run({ log }) {
      const uri = fileUri('generated-10000.ts');
      // test/e2e/extension.e2e.ts writes it into the workspace: without it this test fails, it does not pass quietly.
      await vscode.workspace.fs.stat(uri);
      const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as {
        checkerInfo(): Promise<{ mode: string; threadId?: number }>;
        checkOf(u: vscode.Uri): { version: number; durationMs: number; publishMs?: number } | undefined;
      };
      const ms = (h: ReturnType<typeof monitorEventLoopDelay>) => `longest block ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms`;
      const opening = monitorEventLoopDelay({ resolution: 1 });
      opening.enable();
      const t0 = Date.now();
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const doc = editor.document;
      const checked = () => api.checkOf(uri)?.version === doc.version;
      await until('the check of the 10,000-line file', () => checked(), (x) => x, 180_000);
      opening.disable();
      const firstMs = Date.now() - t0;
      const count = ours(uri).length;
      assert.ok(count > 1000, `${count} diagnostics`);
      // Typing into a comment in the middle of the file, 40 ms apart; the last version gets its diagnostics.
      const line = Math.floor(doc.lineCount / 2);
      const comment = new vscode.WorkspaceEdit();
      comment.insert(uri, new vscode.Position(line, 0), '// \n');
      await vscode.workspace.applyEdit(comment);
      const typing = monitorEventLoopDelay({ resolution: 1 });
      typing.enable();
      for (let k = 0; k < 20; k++) {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(uri, new vscode.Position(line, doc.lineAt(line).text.length), 'x');
        await vscode.workspace.applyEdit(edit);
        await new Promise((r) => setTimeout(r, 40));
      }
      await until('the check of the last version', () => checked(), (x) => x, 180_000);
      typing.disable();
      assert.equal(ours(uri).length, count, 'typing in a comment changes no finding');
      const info = await api.checkerInfo();
      const check = api.checkOf(uri)!;
      log(
        `10,000 lines, ${count} diagnostics, checked in the ${info.mode} (thread ${info.threadId}): first diagnostics after ${firstMs} ms ` +
          `(${ms(opening)}); after typing: engine ${check.durationMs.toFixed(0)} ms, published in ${check.publishMs?.toFixed(1)} ms (${ms(typing)})`,
      );
      assert.equal(info.mode, 'worker');
      assert.ok(info.threadId !== undefined && info.threadId > 0, `thread ${info.threadId}`);
      // The longest blocks are logged, not bounded: they are the whole host's, and VS Code's own TypeScript features
      // alone block it for several hundred milliseconds when a 10,000-line file opens (bench/editor-latency.ts
      // profiles whose code the long tasks run).
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  },
  {
    name: 'Restart clears and re-checks',
    async run() {
      const uri = fileUri(MNIST);
      // Put the edited file back as it was.
      const editor = await open(MNIST);
      assert.ok(mnistOriginal);
      const all = new vscode.Range(0, 0, editor.document.lineCount, 0);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, all, mnistOriginal);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await editor.document.save();
      await until('9 diagnostics on the original file', () => ours(uri), (x) => x.length === 9);
      const lstm = fileUri('lstm-sentiment.ts');
      assert.ok(ours(lstm).length > 0, 'the workspace check left lstm-sentiment.ts in the Problems panel');
      await vscode.commands.executeCommand('initlens.restart');
      assert.deepEqual(ours(lstm), [], 'restart clears what is not open');
      await until('diagnostics back after restart', () => ours(uri), (x) => x.length === 9);
    },
  },
];
