/**
 * Fix-all in the real editor, by what it leaves in the document: the command "InitLens: Fix All Auto-Fixable
 * Problems" (initlens.fixAll) and `source.fixAll.initlens` run by `editor.codeActionsOnSave` on an explicit save,
 * each with and without `initlens.fixAll.includeInitializerSwaps`. Safe fixes (tfjs-falsy-arg) always apply;
 * initializer swaps (relu-needs-he) only with the opt-in. Each test works on its own copies of the examples.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InHostTest } from '../../driver/api';
import { append, assertNoAutoSave, copyOf, diagnosticsCount, open, readText, revertAndClose, saveAsUser, shown, withSettings } from '../helpers';

const MNIST = 'mnist-mlp-default-init.ts';
const FALSY = 'falsy-minval.ts';

/** The MLP with every ReLU layer's kernel He-initialized: what the eight relu-needs-he swaps write. */
export function withHeUniform(text: string): string {
  const relu = "activation: 'relu' }";
  assert.equal(text.split(relu).length - 1, 8, 'eight ReLU dense layers to fix');
  return text.split(relu).join("activation: 'relu', kernelInitializer: 'heUniform' }");
}

/** falsy-minval.ts with its tfjs-falsy-arg fixed: what the safe fix writes. */
export function withMinValue(text: string): string {
  const falsy = 'randomUniform({ minval: 0, maxval: 0.1 })';
  assert.ok(text.includes(falsy));
  return text.replace(falsy, 'randomUniform({ minval: Number.MIN_VALUE, maxval: 0.1 })');
}

export const FALSY_DIAGNOSTIC = {
  code: 'tfjs-falsy-arg',
  line: 9,
  character: 61,
  message: 'tfjs randomUniform: minval: 0 is falsy and silently becomes -0.05 (`args.minval || -0.05`). Use minval: Number.MIN_VALUE.',
};

export const fixAllTests: InHostTest[] = [
  {
    name: 'InitLens: Fix All applies the safe fix; initializer swaps only with initlens.fixAll.includeInitializerSwaps',
    async run() {
      const falsy = await copyOf(FALSY, 'fix-all-falsy.ts');
      const falsyDoc = (await open(falsy.uri)).document;
      assert.deepEqual(shown(await diagnosticsCount(falsy.uri, 1)), [FALSY_DIAGNOSTIC]);
      await vscode.commands.executeCommand('initlens.fixAll');
      assert.equal(falsyDoc.getText(), withMinValue(falsy.text));
      await diagnosticsCount(falsy.uri, 0);
      await revertAndClose(falsyDoc);

      const mlp = await copyOf(MNIST, 'fix-all-mlp.ts');
      const mlpDoc = (await open(mlp.uri)).document;
      await diagnosticsCount(mlp.uri, 9);
      await vscode.commands.executeCommand('initlens.fixAll');
      assert.equal(mlpDoc.getText(), mlp.text, 'no initializer swap without the opt-in');
      assert.equal(mlpDoc.isDirty, false);
      await withSettings({ 'fixAll.includeInitializerSwaps': true }, async () => {
        await vscode.commands.executeCommand('initlens.fixAll');
        assert.equal(mlpDoc.getText(), withHeUniform(mlp.text));
        // He on every ReLU layer: no relu-needs-he left, and the signal no longer vanishes.
        await diagnosticsCount(mlp.uri, 0);
      });
      await revertAndClose(mlpDoc);
    },
  },
  {
    name: 'source.fixAll.initlens on save (editor.codeActionsOnSave): the safe fix always, initializer swaps only when opted in',
    async run() {
      assertNoAutoSave();
      await withSettings(
        { codeActionsOnSave: { 'source.fixAll.initlens': 'explicit' } },
        async () => {
          const falsy = await copyOf(FALSY, 'save-falsy.ts');
          const falsyDoc = (await open(falsy.uri)).document;
          await diagnosticsCount(falsy.uri, 1);
          await append(falsyDoc, '\n');
          await saveAsUser(falsyDoc);
          const fixed = `${withMinValue(falsy.text)}\n`;
          assert.equal(falsyDoc.getText(), fixed);
          assert.equal(await readText(falsy.uri), fixed, 'the fixed text is what was saved');
          await diagnosticsCount(falsy.uri, 0);

          const mlp = await copyOf(MNIST, 'save-mlp.ts');
          const mlpDoc = (await open(mlp.uri)).document;
          const before = shown(await diagnosticsCount(mlp.uri, 9));
          await append(mlpDoc, '\n');
          await saveAsUser(mlpDoc);
          assert.equal(mlpDoc.getText(), `${mlp.text}\n`, 'no initializer swap on save without the opt-in');
          assert.equal(await readText(mlp.uri), `${mlp.text}\n`);
          assert.deepEqual(shown(await diagnosticsCount(mlp.uri, 9)), before);

          await withSettings({ 'fixAll.includeInitializerSwaps': true }, async () => {
            await append(mlpDoc, '\n');
            await saveAsUser(mlpDoc);
            assert.equal(mlpDoc.getText(), `${withHeUniform(mlp.text)}\n\n`);
            assert.equal(await readText(mlp.uri), `${withHeUniform(mlp.text)}\n\n`);
            await diagnosticsCount(mlp.uri, 0);
          });
        },
        'editor',
      );
    },
  },
];
