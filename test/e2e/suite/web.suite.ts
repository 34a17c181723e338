/**
 * The web build (dist/web/extension.js) inside a real VS Code, run by test/e2e/extension.e2e.ts: code-server with
 * `extensions.webWorker` and InitLens pinned to the browser's web worker extension host
 * (`remote.extensionKind: { 'initlens.initlens': ['web'] }`), as vscode.dev runs it. This suite runs in the Node
 * extension host (the harness' driver is a Node extension), where InitLens is absent: what it sees of InitLens
 * (diagnostics, code actions, edits, hovers, CodeLens, commands) comes through VS Code from the web worker, the way
 * the editor itself gets it. The fix-all and Python cases are the very ones the Node build passes.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InHostTest } from '../driver/api';
import { fixAllTests, withHeUniform } from './cases/fix-all';
import { pythonTests } from './cases/python';
import { applyAction, codeOf, copyOf, diagnosticsCount, EXTENSION_ID, lines, mdText, open, quickFixes, revertAndClose, shown } from './helpers';

const MNIST = 'mnist-mlp-default-init.ts';
const RELU_TITLES = [
  'Use heUniform for the kernel of dense (layer 2)',
  'Fix all relu-needs-he problems',
  'Disable relu-needs-he for this line',
  'Disable relu-needs-he for the entire file',
  'Show documentation for relu-needs-he',
];

export const tests: InHostTest[] = [
  {
    name: 'web: InitLens is not in this Node extension host, yet its diagnostics arrive (from the web worker)',
    timeoutMs: 180_000,
    async run() {
      assert.equal(vscode.extensions.getExtension(EXTENSION_ID), undefined, 'InitLens must run in the web worker host only');
      const { uri } = await copyOf(MNIST, 'web-mlp.ts');
      await open(uri);
      // The first check loads the whole engine in the web worker: allow for a slow machine.
      const ds = await diagnosticsCount(uri, 9, 150_000);
      assert.deepEqual(
        shown(ds).map((d) => [d.code, d.line, d.character]),
        [['vanishing-signal', 9, 16], ...[11, 12, 13, 14, 15, 16, 17, 18].map((l) => ['relu-needs-he', l, 12])],
      );
      assert.match(shown(ds)[0].message, /^signal vanishes: its second moment entering the read-out dense \(layer 10\) is ×7\.6e-4/);
      assert.match(shown(ds)[1].message, /^the default glorotNormal before relu: per-layer signal gain 0\.58/);
      // Another host's diagnostics reach this one with their code's value only (VS Code's mirror of the markers drops
      // the link): extension.e2e.ts checks the documentation links where the user sees them, in the Problems panel.
      // This file stays open, so its rows are there when the suite ends.
    },
  },
  {
    name: 'web: the quick fixes of relu-needs-he, in order; the preferred swap and "Fix all relu-needs-he problems" applied',
    async run() {
      const { uri, text } = await copyOf(MNIST, 'web-fix.ts');
      const doc = (await open(uri)).document;
      const ds = await diagnosticsCount(uri, 9);
      const first = ds.find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 11)!;
      const actions = await quickFixes(uri, first);
      assert.deepEqual([...actions.keys()].filter((t) => t.includes('relu-needs-he') || t.startsWith('Use ')), RELU_TITLES);
      assert.equal(actions.get(RELU_TITLES[0])!.isPreferred, true);
      const swapped = lines(await applyAction(doc, actions, RELU_TITLES[0]));
      assert.equal(swapped[11], "  model.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'heUniform' }));");
      assert.deepEqual(swapped.filter((_, i) => i !== 11), lines(text).filter((_, i) => i !== 11));
      const left = await diagnosticsCount(uri, 8);
      assert.ok(!left.some((d) => d.range.start.line === 11 && codeOf(d) === 'relu-needs-he'));

      const second = left.find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 12)!;
      const all = await applyAction(doc, await quickFixes(uri, second), 'Fix all relu-needs-he problems');
      assert.equal(all, withHeUniform(text));
      await diagnosticsCount(uri, 0);
      await revertAndClose(doc);
    },
  },
  {
    name: 'web: "Disable relu-needs-he for this line" and "for the entire file" write the comments and the diagnostics go',
    async run() {
      const { uri, text } = await copyOf(MNIST, 'web-disable.ts');
      const doc = (await open(uri)).document;
      const ds = await diagnosticsCount(uri, 9);
      const relu = ds.find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 12)!;
      const afterLine = lines(await applyAction(doc, await quickFixes(uri, relu), 'Disable relu-needs-he for this line'));
      assert.deepEqual(afterLine, [...lines(text).slice(0, 12), '  // initlens-disable-next-line relu-needs-he', ...lines(text).slice(12)]);
      const left = await diagnosticsCount(uri, 8);
      const afterFile = lines(await applyAction(doc, await quickFixes(uri, left.find((d) => codeOf(d) === 'relu-needs-he')!), 'Disable relu-needs-he for the entire file'));
      assert.deepEqual(afterFile, ['// initlens-disable relu-needs-he', ...afterLine]);
      const rest = await diagnosticsCount(uri, 1);
      assert.equal(codeOf(rest[0]), 'vanishing-signal');
      await revertAndClose(doc);
    },
  },
  {
    name: 'web: hover and CodeLens come from the web build',
    async run() {
      const { uri } = await copyOf(MNIST, 'web-hover.ts');
      const doc = (await open(uri)).document;
      await diagnosticsCount(uri, 9);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(13, 24));
      const text = hovers.map(mdText).join('\n---\n');
      assert.match(text, /\| fans \| in 256 · out 256 · c = fan-in·E\[W²\] = 0\.774 \|/);
      assert.match(text, /\| layer gain \| ×0\.39 forward · ×[\d.]+ backward \|/);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      const mine = lenses.filter((l) => l.command?.title.startsWith('InitLens:') || l.command?.command === 'initlens.preview');
      assert.match(mine[0]?.command?.title ?? '', /^InitLens: 10 layers · signal ×(?:0\.00\d+|\d(?:\.\d)?e-4) after 8 weighted layers/);
      await revertAndClose(doc);
    },
  },
  ...fixAllTests.map((t) => ({ ...t, name: `web: ${t.name}` })),
  ...pythonTests.map((t) => ({ ...t, name: `web: ${t.name}` })),
];

