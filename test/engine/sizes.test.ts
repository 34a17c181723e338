/**
 * Sizes that cannot be sizes (0, negative, NaN, Infinity) become unknown with one note (src/core/sizes.ts), and a
 * fixed-scale initializer without spread is a constant kernel: through the real parsers, no finding shows a gain of
 * 0 or a division by zero.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkText } from '../../src/engine/check';

const TF = `import * as tf from '@tensorflow/tfjs';\n`;
const tfjs = (units: string, inputShape = '[4]') =>
  `${TF}const m = tf.sequential();\nm.add(tf.layers.dense({units: ${units}, inputShape: ${inputShape}, activation: 'relu'}));\nm.add(tf.layers.dropout({rate: 0.1}));\nm.add(tf.layers.dense({units: 8, activation: 'relu'}));\nm.add(tf.layers.dense({units: 2}));\n`;

const numbersIn = (messages: string[]) => messages.join(' ').match(/gain [\d.e+-]+|×[\d.e+-]+/g) ?? [];

for (const [units, shown] of [
  ['0', '0'],
  ['-3', '-3'],
  ['NaN', 'NaN'],
  ['1/0', 'Infinity'],
  ['2.5', '2.5'],
] as const) {
  test(`units: ${units} is not a size: unknown, said once, no number derived from it`, () => {
    const r = checkText(tfjs(units), 'm.ts');
    const notes = r.problems.filter((p) => /not positive integers/.test(p.message));
    assert.deepEqual(
      notes.map((p) => p.message),
      [`m: sizes that are not positive integers are treated as unknown: dense (layer 1) output size ${shown}.`],
    );
    const layers = r.models[0].model.layers;
    assert.equal(layers[0].outFeatures, undefined);
    assert.equal(layers[1].inFeatures, undefined, 'the dropout inherits the unknown');
    assert.equal(layers[2].inFeatures, undefined);
    assert.equal(r.models[0].prediction.readoutRatio?.estimate, undefined, 'no estimate through an unknown width');
    // Findings that hold for every width stay (default Glorot before ReLU shrinks the signal whatever the fans).
    const relu = r.findings.filter((f) => f.ruleId === 'relu-needs-he');
    assert.equal(relu.length, 2);
    for (const f of relu) assert.match(f.message, /shrinks at every layer/);
    assert.deepEqual(numbersIn(r.findings.filter((f) => f.layer === 0 || f.layer === 2).map((f) => f.message)), []);
  });
}

test('an input shape of 0 (tfjs) and nn.Linear(0, 8) (PyTorch): the input size is unknown', () => {
  const r = checkText(tfjs('8', '[0]'), 'm.ts');
  assert.ok(r.problems.some((p) => p.message === 'm: sizes that are not positive integers are treated as unknown: dense (layer 1) input size 0, input shape [0].'));
  assert.equal(r.models[0].model.layers[0].inFeatures, undefined);
  const py = checkText('import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(0, 8), nn.ReLU(), nn.Linear(8, 2))\n', 'm.py');
  assert.ok(py.problems.some((p) => p.message === 'net: sizes that are not positive integers are treated as unknown: nn.Linear (layer 1) input size 0.'));
  assert.deepEqual(numbersIn(py.findings.map((f) => f.message)), []);
});

test('valid sizes are untouched and give no note', () => {
  const r = checkText(tfjs('16'), 'm.ts');
  assert.ok(!r.problems.some((p) => /not positive integers/.test(p.message)));
  assert.deepEqual(
    r.models[0].model.layers.map((l) => [l.inFeatures, l.outFeatures]),
    [
      [4, 16],
      [16, 16],
      [16, 8],
      [8, 2],
    ],
  );
});

test('a fixed-scale initializer without spread is a constant kernel: symmetric-init, not a fixed-scale division by zero', () => {
  const torch = checkText('import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\nnn.init.normal_(net[0].weight, std=0.0)\n', 'm.py');
  assert.deepEqual(
    torch.findings.map((f) => f.ruleId),
    ['symmetric-init'],
  );
  assert.match(torch.findings[0].message, /constant kernel \(every weight = 0\)/);
  const uniform = checkText('import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\nnn.init.uniform_(net[0].weight, 0.1, 0.1)\n', 'm.py');
  assert.deepEqual(
    uniform.findings.map((f) => f.ruleId),
    ['symmetric-init'],
  );
  assert.match(uniform.findings[0].message, /every weight = 0\.1/);
  for (const f of [...torch.findings, ...uniform.findings]) assert.doesNotMatch(f.message, /NaN|Infinity/);
});
