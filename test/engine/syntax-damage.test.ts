/**
 * Syntax errors make unknown what they touch (src/core/syntax-damage.ts), through the real parsers: a layer whose
 * code is broken gives no finding and stops the prediction with the reason; layers before the error keep their
 * findings; sizes inferred downstream of a broken layer become unknown (tfjs), stated ones stay (PyTorch).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coverIndex, errorIndex } from '../../src/core/syntax-damage';
import { checkText } from '../../src/engine/check';
import { mulberry32 } from '../helpers/rng';

const layerLine = (units: number, extra = '') => `model.add(tf.layers.dense({units: ${units}, activation: 'relu'${extra}}));`;

function tfjsModel(third: string): string {
  return [
    `import * as tf from '@tensorflow/tfjs';`,
    `const model = tf.sequential();`,
    `model.add(tf.layers.dense({units: 256, inputShape: [256], activation: 'relu'}));`,
    layerLine(256),
    third,
    layerLine(128),
    layerLine(64),
    `model.add(tf.layers.dense({units: 10, activation: 'softmax'}));`,
    '',
  ].join('\n');
}

const reluLayers = (text: string, name = 'x.ts') =>
  checkText(text, name)
    .findings.filter((f) => f.ruleId === 'relu-needs-he')
    .map((f) => f.layer);

test('a clean model: every ReLU layer after the default Glorot gets relu-needs-he', () => {
  assert.deepEqual(reluLayers(tfjsModel(layerLine(256))), [0, 1, 2, 3, 4]);
});

test('an unterminated string that swallows the kernelInitializer: no finding on that layer, the prediction stops there', () => {
  // The user wrote heUniform; the parser recovers `'relu''` as a string followed by junk, and the description
  // read from the recovered tree would say "default glorotNormal before relu" with full confidence.
  const text = tfjsModel(layerLine(256, `', kernelInitializer: 'heUniform'`));
  const report = checkText(text, 'x.ts');
  assert.ok(report.problems.some((p) => /Syntax error/.test(p.message)));
  const layers = reluLayers(text);
  assert.deepEqual(layers.slice(0, 2), [0, 1], 'the layers written before the error keep their findings');
  assert.ok(!layers.includes(2), 'no finding from the broken layer');
  const model = report.models[0];
  assert.equal(model.model.layers[2].kind, 'unknown');
  assert.equal(model.model.layers[2].unknownReason, 'syntax error at line 5');
  assert.deepEqual(model.prediction.stoppedAt, { index: 2, reason: 'syntax error at line 5' });
  // Every layer after the broken one takes its input size from it: unknown, never the recovered guess.
  for (const l of model.model.layers.slice(3)) assert.equal(l.inFeatures, undefined, `layer ${l.index + 1}`);
});

test('a broken layer call: that layer is unknown, the input sizes after it are unknown, findings true for any size stay', () => {
  // `tf.layers..dense` breaks the call; the layers after it would otherwise take their fan-in from a guess.
  const text = tfjsModel(`model.add(tf.layers..dense({units: 32, activation: 'relu'}));`);
  const report = checkText(text, 'x.ts');
  const layers = report.models[0].model.layers;
  assert.equal(layers[2].kind, 'unknown');
  for (const l of layers.slice(3)) assert.equal(l.inFeatures, undefined, `layer ${l.index + 1}`);
  // Default Glorot before ReLU shrinks the signal whatever the fan-in: those findings stay, without a made-up number.
  const after = report.findings.filter((f) => f.ruleId === 'relu-needs-he' && f.layer! >= 3);
  assert.deepEqual(
    after.map((f) => f.layer),
    [3, 4],
  );
  for (const f of after) assert.match(f.message, /shrinks at every layer/);
  assert.doesNotMatch(after[0].message, /gain \d/);
});

test('an error between layers (outside every layer call): the layers written after it are unknown', () => {
  // `model.add tf.layers.dense(...)`: the layer is not added at all; the recovered model would lack it silently.
  const text = tfjsModel(`model.add tf.layers.dense({units: 32, activation: 'relu'}));`);
  const report = checkText(text, 'x.ts');
  const layers = report.models[0].model.layers;
  assert.deepEqual(
    layers.map((l) => l.kind),
    ['dense', 'dense', 'unknown', 'unknown', 'unknown'],
  );
  assert.deepEqual(reluLayers(text), [0, 1]);
});

test('a syntax error in a shared initializer variable makes that initializer unknown, not its default', () => {
  const text = [
    `import * as tf from '@tensorflow/tfjs';`,
    `const bias = tf.initializers.randomUniform({ minval: 0, maxval: 0.1 ));`,
    `const model = tf.sequential();`,
    `model.add(tf.layers.dense({units: 8, inputShape: [4], kernelInitializer: 'heNormal', activation: 'relu', biasInitializer: bias}));`,
    '',
  ].join('\n');
  const report = checkText(text, 'x.ts');
  assert.ok(report.problems.some((p) => /Syntax error/.test(p.message)));
  assert.equal(report.models[0].model.layers[0].bias?.id, undefined);
  assert.deepEqual(
    report.findings.filter((f) => f.ruleId === 'tfjs-falsy-arg'),
    [],
  );
  // The same text without the stray parenthesis reports the falsy minval.
  const clean = checkText(text.replace('0.1 ))', '0.1 })'), 'x.ts');
  assert.equal(clean.findings.filter((f) => f.ruleId === 'tfjs-falsy-arg').length, 1);
});

const TORCH = (lstmArgs: string) => `import torch
from torch import nn

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(${lstmArgs})
        self.fc1 = nn.Linear(64, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x, _ = self.lstm(x)
        x = torch.relu(self.fc1(x))
        return self.fc2(x)
`;

test('PyTorch: a broken LSTM call gives no LSTM finding; the Linear layers (sizes stated) keep theirs', () => {
  const clean = checkText(TORCH('32, 64, batch_first=True'), 'm.py');
  const broken = checkText(TORCH('32from 64, batch_first=True'), 'm.py');
  assert.ok(broken.problems.some((p) => /Syntax error/.test(p.message)));
  const rules = (r: typeof clean, ids: string[]) => r.findings.filter((f) => ids.includes(f.ruleId)).map((f) => `${f.ruleId}@${f.layer}`);
  assert.ok(rules(clean, ['lstm-forget-bias']).length > 0, 'the clean LSTM gets the forget-bias finding');
  assert.deepEqual(rules(broken, ['lstm-forget-bias', 'recurrent-not-orthogonal']), []);
  const lstm = broken.models[0].model.layers.find((l) => l.op.includes('LSTM'));
  assert.equal(lstm?.kind, 'unknown');
  // nn.Linear states its in_features: the layers after the broken one are still described.
  const linears = broken.models[0].model.layers.filter((l) => l.kind === 'dense');
  assert.deepEqual(
    linears.map((l) => l.inFeatures),
    [64, 64],
  );
});

test('errorIndex finds the first error start inside a span, as a linear scan does', () => {
  const random = mulberry32(7);
  for (let round = 0; round < 200; round++) {
    const errors = Array.from({ length: Math.floor(random() * 8) }, () => {
      const start = Math.floor(random() * 100);
      return { start, end: start + Math.floor(random() * 3) };
    });
    const errorIn = errorIndex(errors).firstIn;
    for (let k = 0; k < 20; k++) {
      const start = Math.floor(random() * 100);
      const span = { start, end: start + Math.floor(random() * 20) };
      const inside = errors.map((e) => e.start).filter((s) => s >= span.start && s <= span.end);
      assert.equal(errorIn(span), inside.length ? Math.min(...inside) : undefined);
    }
  }
  assert.equal(errorIndex([{ start: 3, end: 4 }]).firstIn(undefined), undefined);
});

test('coverIndex answers "which interval covers this offset" as a linear scan does', () => {
  const random = mulberry32(11);
  for (let round = 0; round < 200; round++) {
    const intervals = Array.from({ length: Math.floor(random() * 10) }, (_, at) => {
      const start = Math.floor(random() * 100);
      return { start, end: start + Math.floor(random() * 30), at };
    });
    const covering = coverIndex(intervals);
    for (let offset = -1; offset <= 130; offset++) {
      const any = intervals.filter((r) => r.start <= offset && offset <= r.end);
      const at = covering(offset);
      if (any.length === 0) assert.equal(at, undefined, `offset ${offset}`);
      else assert.ok(any.some((r) => r.at === at), `offset ${offset}`);
    }
  }
});

test('a generated model of 20,000 layers with a syntax error in every other one: checked, broken layers unknown', () => {
  const lines = [`import * as tf from '@tensorflow/tfjs';`, `const model = tf.sequential();`, `model.add(tf.layers.dense({units: 8, inputShape: [8], activation: 'relu'}));`];
  for (let i = 0; i < 20_000; i++) lines.push(i % 2 ? `model.add(tf.layers.dense({units: 8 activation: 'relu'}));` : layerLine(8));
  const report = checkText(lines.join('\n'), 'x.ts');
  const layers = report.models[0]?.model.layers ?? [];
  assert.ok(layers.length > 100, `${layers.length} layers`);
  assert.ok(layers.some((l) => l.unknownReason?.startsWith('syntax error at line')));
});
