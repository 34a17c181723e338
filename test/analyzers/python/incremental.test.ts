/**
 * The Python session (createPythonSession: each call re-parses incrementally from the previous call's tree)
 * against the stateless analysis: over seeded sequences of edits of every example and of a generated 1,000-line
 * file (typing, deletions, pasted and cut lines, breaking and restoring the imports, undo back to the original),
 * every incremental tree equals a fresh parse (node types and positions), and every result equals
 * analyzePython's, fixes included. Real parses throughout.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parser } from '@lezer/python';
import type { Tree } from '@lezer/common';
import { generatePythonModelFile } from '../../../bench/python-latency';
import type { FixIntent } from '../../../src/core/findings';
import type { AnalysisResult } from '../../../src/core/model';
import { analyzePython, createPythonSession, pythonFixEdits } from '../../../src/analyzers/python';
import { type Parsed, parsePython } from '../../../src/analyzers/python/syntax';
import { rng, userEdit } from '../../robustness/shared';

/** Python's characters besides the common ones. */
const edit = (text: string, random: () => number) => userEdit(text, random, ' ab1(),.:=\n');

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples', 'python');
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.py'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(EXAMPLES, f), 'utf8') }));


/** Every node of a tree with its type and position, in document order. */
function nodes(tree: Tree): string {
  const out: string[] = [];
  tree.iterate({ enter: (n) => void out.push(`${n.name}@${n.from}-${n.to}`) });
  return out.join(' ');
}

/** Some fix intents on the first layers of each model (what the engine asks for, and more). */
function fixesOf(text: string, r: AnalysisResult): unknown[] {
  const out: unknown[] = [];
  for (const m of r.models) {
    m.layers.slice(0, 12).forEach((l, i) => {
      const intents: FixIntent[] = [];
      if (l.kernel) intents.push({ kind: 'setInitializer', layer: i, slot: 'kernel', to: 'heUniform' });
      if (l.kernel) intents.push({ kind: 'setInitializer', layer: i, slot: 'kernel', to: 'glorotNormal', args: { gain: 1 } } as FixIntent);
      if (l.recurrent) intents.push({ kind: 'setInitializer', layer: i, slot: 'recurrent', to: 'orthogonal' });
      if (l.kind === 'lstm') intents.push({ kind: 'setLayerOption', layer: i, option: 'unitForgetBias', value: true });
      for (const intent of intents) out.push(pythonFixEdits(text, m, intent));
    });
  }
  return out;
}

/** Feeds `texts` to one session and compares each result (and its fixes) with the stateless analysis. */
function sameResults(label: string, texts: string[]): void {
  const session = createPythonSession();
  texts.forEach((text, step) => {
    const incremental = session.analyze(text, 'doc.py');
    const full = analyzePython(text, 'doc.py');
    assert.deepEqual(incremental, full, `${label}, step ${step}`);
    assert.deepEqual(fixesOf(text, incremental), fixesOf(text, full), `${label}, fixes at step ${step}`);
  });
}

/** Parses `texts` in turn, each incrementally from the previous one, and compares each tree with a fresh parse. */
function sameTrees(label: string, texts: string[]): void {
  let previous: Parsed | undefined;
  texts.forEach((text, step) => {
    const tree = parsePython(text, previous);
    assert.equal(nodes(tree), nodes(parser.parse(text)), `${label}, step ${step}`);
    previous = { text, tree };
  });
}

function editSequence(text: string, seed: number, n: number): string[] {
  const random = rng(seed);
  const texts = [text];
  for (let i = 0; i < n; i++) texts.push(edit(texts[texts.length - 1], random));
  // Break the framework import (no analysis), restore it, undo everything, then the same text again.
  const last = texts[texts.length - 1];
  texts.push(last.replace(/^import torch$|^from tensorflow/m, 'imp'), last, text, text);
  return texts;
}

for (const { name, text } of examples) {
  test(`${name}: incremental trees and session results equal fresh ones over 60 seeded edits`, () => {
    const texts = editSequence(text, name.length * 7919 + 11, 60);
    sameTrees(name, texts);
    sameResults(name, texts);
  });
}

test('a generated 1,000-line file: one-character edits (typed, then deleted) and pasted blocks give the full results', () => {
  const text = generatePythonModelFile(1000);
  const random = rng(42);
  const texts = [text];
  let typedAt = -1;
  for (let i = 0; i < 30; i++) {
    const prev = texts[texts.length - 1];
    if (typedAt >= 0) {
      texts.push(prev.slice(0, typedAt) + prev.slice(typedAt + 1));
      typedAt = -1;
    } else if (i % 7 === 6) {
      // Paste a whole example somewhere between two lines.
      const lines = prev.split('\n');
      lines.splice(Math.floor(random() * lines.length), 0, examples[i % examples.length].text);
      texts.push(lines.join('\n'));
    } else {
      typedAt = Math.floor(random() * prev.length);
      texts.push(prev.slice(0, typedAt) + '7a\n('[Math.floor(random() * 4)] + prev.slice(typedAt));
    }
  }
  sameTrees('generated', texts);
  sameResults('generated', texts);
});

test('the re-parse is incremental: the tree after an edit reuses subtrees of the previous one', () => {
  const text = generatePythonModelFile(1000);
  const tree = parser.parse(text);
  const at = text.indexOf('\nclass ', Math.floor(text.length / 2)) + 1;
  const edited = text.slice(0, at) + '\n' + text.slice(at); // a blank line before a class in the middle
  const olds = new Set<unknown>();
  const collect = (t: unknown) => {
    olds.add(t);
    for (const c of (t as { children?: unknown[] }).children ?? []) collect(c);
  };
  collect(tree);
  const reused = (t: Tree) => {
    let n = 0;
    const walk = (x: unknown) => {
      if (olds.has(x)) n++;
      else for (const c of (x as { children?: unknown[] }).children ?? []) walk(c);
    };
    walk(t);
    return n;
  };
  const incremental = parsePython(edited, { text, tree });
  assert.equal(nodes(incremental), nodes(parser.parse(edited)));
  assert.ok(reused(incremental) > 0, 'no subtree of the previous tree was reused');
  assert.equal(reused(parsePython(edited)), 0); // a fresh parse builds everything anew
  assert.equal(parsePython(text, { text, tree }), tree); // an unchanged text is not parsed again
});

test('closing an unterminated string: the re-parse after a syntax error equals a fresh parse', () => {
  // Typing `b')` into a method name of gpt_block.py, then deleting it again. From the tree with the error, lezer's
  // own incremental parse of the repaired text makes the @dataclass class swallow every class after it (lezer
  // 1.4); parsePython parses afresh after a tree with errors.
  const good = examples.find((e) => e.name === 'gpt_block.py')!.text;
  const bad = good.replace('def _init_weights(self', "def _init_weightb')s(self");
  assert.notEqual(bad, good);
  const tree = parsePython(good, { text: bad, tree: parser.parse(bad) });
  assert.equal(nodes(tree), nodes(parser.parse(good)));
  sameResults('gpt_block.py, string closed', [good, bad, good, bad.replace("b')s", "b'"), good]);
  const session = createPythonSession();
  session.analyze(bad, 'doc.py');
  const r = session.analyze(good, 'doc.py');
  assert.deepEqual(r.models.map((m) => m.name), ['model']); // `model = GPT(GPTConfig())`
  assert.equal(r.models[0].layers.filter((l) => l.kind === 'dense').length, 4 * 4 + 1);
});
