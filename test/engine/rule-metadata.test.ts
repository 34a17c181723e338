/**
 * Rule metadata the engine acts on: fix availability and safety (every rule's fixes, on every example, agree with
 * what its metadata declares), and deduplication by fix target (`supersededBy`), which honours rules turned off.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_THRESHOLDS, RULE_LIST, ruleById, type RuleFinding } from '../../src/core/rules';
import { checkText, isCheckable } from '../../src/engine/check';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const exampleFiles = (dir = EXAMPLES): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? exampleFiles(join(dir, e.name)) : isCheckable(e.name) ? [join(dir, e.name)] : []));

/** What each rule says directly (before deduplication and fix edits) on the models of every example. */
function rawFindings(): Map<string, RuleFinding[]> {
  const out = new Map<string, RuleFinding[]>(RULE_LIST.map((r) => [r.meta.id, []]));
  for (const file of exampleFiles()) {
    const report = checkText(readFileSync(file, 'utf8'), file);
    for (const { model, prediction } of report.models) {
      for (const rule of RULE_LIST) out.get(rule.meta.id)!.push(...rule.check({ model, prediction, thresholds: DEFAULT_THRESHOLDS }));
    }
  }
  return out;
}

test('every rule\'s fixes agree with its declared fix availability and safety, on every example', () => {
  const found = rawFindings();
  for (const rule of RULE_LIST) {
    const { id, fix } = rule.meta;
    const findings = found.get(id)!;
    assert.ok(findings.length > 0, `${id}: no example exercises it`);
    for (const f of findings) {
      if (fix.availability === 'none') assert.equal(f.fixes.length, 0, `${id} declares no fix`);
      if (fix.availability === 'always') assert.ok(f.fixes.length > 0, `${id} declares a fix on every finding: ${f.message}`);
      for (const x of f.fixes) assert.equal(x.safe, fix.availability !== 'none' && fix.safety === 'safe', `${id}: ${x.title}`);
    }
  }
  // 'sometimes' is honest too: tfjs-falsy-arg has no fix for seed 0, fixed-scale none without an argument to rescale.
  assert.equal(ruleById('tfjs-falsy-arg')!.meta.fix.availability, 'sometimes');
  const seed = checkText(
    `import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({units: 8, inputShape: [8], kernelInitializer: tf.initializers.randomNormal({stddev: 0.3, seed: 0})}));\n`,
    'seed.ts',
  ).findings.filter((f) => f.ruleId === 'tfjs-falsy-arg');
  assert.equal(seed.length, 1);
  assert.deepEqual(seed[0].fixes, []);
});

test('supersededBy names existing rules, never itself, without cycles', () => {
  const ids = new Set(RULE_LIST.map((r) => r.meta.id));
  const over = (id: string) => ruleById(id)!.meta.supersededBy ?? [];
  for (const r of RULE_LIST) {
    for (const id of over(r.meta.id)) {
      assert.ok(ids.has(id), `${r.meta.id} yields to unknown ${id}`);
      assert.notEqual(id, r.meta.id);
      assert.ok(!over(id).includes(r.meta.id), `${r.meta.id} and ${id} yield to each other`);
    }
  }
});

// leCunNormal before relu: relu-needs-he asks for heUniform, truncated-normal-shortfall for leCunUniform, both on
// the same kernel. The read-out (no relu) has only the shortfall.
const LECUN = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'leCunNormal'}));
model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'leCunNormal'}));
model.add(tf.layers.dense({units: 10, kernelInitializer: 'leCunNormal'}));
`;

const layersOf = (findings: { ruleId: string; layer?: number }[], id: string) => findings.filter((f) => f.ruleId === id).map((f) => f.layer);

test('one finding per fix target: truncated-normal-shortfall yields to relu-needs-he on the same kernel', () => {
  const { findings } = checkText(LECUN, 'lecun.ts');
  assert.deepEqual(layersOf(findings, 'relu-needs-he'), [0, 1]);
  assert.deepEqual(layersOf(findings, 'truncated-normal-shortfall'), [2]);
  const targets = findings.flatMap((f) => f.fixes.flatMap((x) => (x.intent.kind === 'setInitializer' ? [`${x.intent.layer}/${x.intent.slot}`] : [])));
  assert.equal(new Set(targets).size, targets.length, `two fixes for one initializer: ${targets}`);
  assert.equal(targets.length, 3);
});

test('a rule turned off suppresses nothing: with relu-needs-he off, truncated-normal-shortfall reports every layer', () => {
  const off = checkText(LECUN, 'lecun.ts', { rules: { 'relu-needs-he': 'off' } });
  assert.deepEqual(layersOf(off.findings, 'relu-needs-he'), []);
  assert.deepEqual(layersOf(off.findings, 'truncated-normal-shortfall'), [0, 1, 2]);
  assert.match(off.findings[0].message, /tfjs leCunNormal samples a truncated normal without correction/);
  // Another severity for relu-needs-he still supersedes: only 'off' lifts it.
  const info = checkText(LECUN, 'lecun.ts', { rules: { 'relu-needs-he': 'info' } });
  assert.deepEqual(layersOf(info.findings, 'truncated-normal-shortfall'), [2]);
  // And the superseded rule turned off leaves the other alone.
  const shortfallOff = checkText(LECUN, 'lecun.ts', { rules: { 'truncated-normal-shortfall': 'off' } });
  assert.deepEqual(layersOf(shortfallOff.findings, 'relu-needs-he'), [0, 1]);
});
