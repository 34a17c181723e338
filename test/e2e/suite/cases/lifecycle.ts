/**
 * When InitLens checks, and when its diagnostics go, in the real editor: `initlens.run: onSave` (typing leaves the
 * Problems panel as it was until the save), `initlens.enable: false` (diagnostics, CodeLens, hovers and quick
 * fixes go, and come back with true), and closing a document (its diagnostics go). Each test works on its own copy
 * of examples/mnist-mlp-default-init.ts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InHostTest } from '../../driver/api';
import { actionsFor, assertNoAutoSave, copyOf, deleteLine, diagnosticsCount, EXTENSION_ID, mdText, open, openAsUser, ours, revertAndClose, saveAsUser, shown, until, withSettings } from '../helpers';

const MNIST = 'mnist-mlp-default-init.ts';
const RELU_LAYER = "  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));";

interface Api {
  checkOf(uri: vscode.Uri): { version: number } | undefined;
}

const api = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;

/** Codes and lines of the MLP's diagnostics with `relu` ReLU layers left (the first at line 11, 0-based). */
const mlpWith = (relu: number) => [['vanishing-signal', 9], ...Array.from({ length: relu }, (_, i) => ['relu-needs-he', 11 + i])];

const codesAndLines = (ds: readonly vscode.Diagnostic[]) => shown(ds).map((d) => [d.code, d.line]);

export const lifecycleTests: InHostTest[] = [
  {
    name: 'initlens.run: onSave: typing leaves the diagnostics as they were; saving checks',
    timeoutMs: 120_000,
    async run({ log }) {
      assertNoAutoSave();
      const { uri } = await copyOf(MNIST, 'run-on-save.ts');
      const doc = (await open(uri)).document;
      await diagnosticsCount(uri, 9);
      // onType, for reference: deleting a ReLU layer takes one relu-needs-he away, after the debounce.
      const t0 = Date.now();
      await deleteLine(doc, 18, RELU_LAYER);
      await diagnosticsCount(uri, 8);
      const onTypeMs = Date.now() - t0;
      const before = shown(ours(uri));
      assert.deepEqual(codesAndLines(ours(uri)), mlpWith(7));
      assert.ok(before.every((d) => d.code !== 'relu-needs-he' || d.message.includes('after 7 such layers the signal is ×0.002.')), JSON.stringify(before));
      await withSettings({ run: 'onSave' }, async () => {
        await deleteLine(doc, 17, RELU_LAYER);
        // No check while typing: wait three times as long as the onType check took (at least 3 s), then look.
        const quietMs = Math.max(3000, 3 * onTypeMs);
        await new Promise((r) => setTimeout(r, quietMs));
        assert.deepEqual(shown(ours(uri)), before, `the diagnostics changed ${quietMs} ms after typing, before any save`);
        assert.ok(api().checkOf(uri)!.version < doc.version, 'no check of the typed version');
        log(`onType showed the edit after ${onTypeMs} ms; onSave kept quiet for ${quietMs} ms`);
        await saveAsUser(doc);
        const after = await diagnosticsCount(uri, 7);
        assert.deepEqual(codesAndLines(after), mlpWith(6));
        const relu = shown(after).filter((d) => d.code === 'relu-needs-he');
        assert.ok(relu.every((d) => d.message.includes('after 6 such layers the signal is ×0.0051.')), JSON.stringify(relu));
        assert.equal(api().checkOf(uri)!.version, doc.version);
      });
    },
  },
  {
    name: 'initlens.enable: false takes diagnostics, CodeLens, hovers and quick fixes away; true brings them back',
    async run() {
      const { uri } = await copyOf(MNIST, 'enable-off.ts');
      const doc = (await open(uri)).document;
      const ds = await diagnosticsCount(uri, 9);
      const relu = ds.find((d) => d.range.start.line === 11)!;
      const hoverAt = new vscode.Position(11, 24);
      const ourLenses = async () =>
        ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter(
          (l) => l.command?.title.startsWith('InitLens:') || l.command?.command === 'initlens.preview',
        );
      const ourHover = async () =>
        ((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, hoverAt)) ?? []).map(mdText).filter((t) => t.includes('layer gain'));
      assert.equal((await ourLenses()).length, 2);
      assert.equal((await ourHover()).length, 1);
      await withSettings({ enable: false }, async () => {
        await diagnosticsCount(uri, 0);
        assert.deepEqual(await ourLenses(), []);
        assert.deepEqual(await ourHover(), []);
        assert.deepEqual((await actionsFor(uri, relu.range)).map((a) => a.title).filter((t) => t.includes('relu-needs-he') || t.startsWith('Use ')), []);
        // Typing does not bring them back.
        await deleteLine(doc, 18, RELU_LAYER);
        assert.deepEqual(ours(uri), []);
      });
      assert.deepEqual(codesAndLines(await diagnosticsCount(uri, 8)), mlpWith(7));
      await revertAndClose(doc);
    },
  },
  {
    name: 'closing a document takes its diagnostics away',
    async run() {
      const { uri } = await copyOf(MNIST, 'closing.ts');
      const doc = await openAsUser(uri);
      await diagnosticsCount(uri, 9);
      let closed = false;
      const sub = vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.toString() === uri.toString()) closed = true;
      });
      try {
        assert.equal(vscode.window.activeTextEditor?.document, doc);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await until('VS Code closing the document', () => closed, (x) => x, 60_000);
      } finally {
        sub.dispose();
      }
      await diagnosticsCount(uri, 0);
    },
  },
];
