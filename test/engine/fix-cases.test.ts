/**
 * Fixes that must remove their finding, from cases `npm run fuzz` found: a fixed-scale initializer with a mean
 * (the fix centers it as well as setting the std), and the LSTM forget-gate fix when the analysis does not know
 * the hidden size (the fix's `[hidden_size:2 * hidden_size]` slice is recognized symbolically).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../robustness/shared';
import { checkText } from '../../src/engine/check';

function fixOnce(text: string, name: string, ruleId: string): { title: string; newTexts: string[]; after: string } {
  const f = checkText(text, name).findings.find((x) => x.ruleId === ruleId);
  assert.ok(f, `${name}: no ${ruleId} finding`);
  const fix = f.fixes[0];
  assert.ok(fix, `${name}: ${ruleId} has no fix`);
  const after = applyEdits(text, fix.edits ?? []);
  const left = checkText(after, name).findings.filter((x) => x.ruleId === ruleId && x.layer === f.layer);
  assert.deepEqual(
    left.map((x) => x.message),
    [],
    `${name}: "${fix.title}" leaves its finding`,
  );
  return { title: fix.title, newTexts: (fix.edits ?? []).map((e) => e.newText), after };
}

const TORCH = (init: string) => `import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))\n${init}\n`;

test('fixed-scale with a mean of 1: the fix sets mean 0 and the std that fits, in every framework and form', () => {
  // E[W²] = std² + mean² = 1.0025: the per-layer gain 64·1.0025·½ = 32; std 1/√32 = 0.177 with mean 0 gives 1.
  const cases: [string, string, string[]][] = [
    ['core.ts', `import * as tf from '@tensorflow/tfjs';\nconst w1 = tf.variable(tf.randomNormal([784, 256], 100, 0.01), true, 'w1');\nconst w2 = tf.variable(tf.randomNormal([256, 10], 0, 0.088), true, 'w2');\nexport const predict = (x: tf.Tensor2D) => tf.relu(x.matMul(w1)).matMul(w2);\n`, ['[784, 256], 0, 0.0505']],
    ['factory.ts', `import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: tf.initializers.randomNormal({mean: 1, stddev: 0.05})}));\nm.add(tf.layers.dense({units: 2}));\n`, ['{mean: 0, stddev: 0.177}']],
    ['keyword.py', TORCH('nn.init.normal_(net[0].weight, mean=1.0, std=0.05)'), ['0', '0.177']],
    ['positional.py', TORCH('nn.init.normal_(net[0].weight, 1.0, 0.05)'), ['0', '0.177']],
    ['keras.py', `from tensorflow import keras\nmodel = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(64, activation='relu', kernel_initializer=keras.initializers.RandomNormal(mean=1.0, stddev=0.05)), keras.layers.Dense(2)])\n`, ['0', '0.177']],
  ];
  for (const [name, text, newTexts] of cases) {
    const r = fixOnce(text, name, 'fixed-scale');
    assert.match(r.title, /^Set mean 0, stddev [\d.]+ for the kernel of /, name);
    assert.deepEqual(r.newTexts, newTexts, name);
  }
  // A centered initializer keeps its mean out of the fix.
  const centered = fixOnce(TORCH('nn.init.normal_(net[0].weight, std=0.05)'), 'c.py', 'fixed-scale');
  assert.match(centered.title, /^Set stddev 0\.177 for/);
});

const TAGGER = (hidden: string) => `import torch
from torch import nn

class Tagger(nn.Module):
    def __init__(self, hidden_dim):
        super().__init__()
        self.lstm = nn.LSTM(32, ${hidden}, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * ${hidden}, 5)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.out(y)


tagger = Tagger(hidden_dim=HIDDEN)
`;

test('the LSTM forget-gate fix removes its finding whether or not the analysis knows the hidden size', () => {
  for (const hidden of ['hidden_dim', '64']) {
    const text = TAGGER(hidden);
    const lstm = checkText(text, 'm.py').models[0].model.layers.find((l) => l.kind === 'lstm')!;
    assert.equal(lstm.outFeatures, hidden === '64' ? 64 : undefined, 'HIDDEN is not defined in the file');
    const r = fixOnce(text, 'm.py', 'lstm-forget-bias');
    assert.match(r.after, /self\.lstm\.bias_ih_l0\[self\.lstm\.hidden_size:2 \* self\.lstm\.hidden_size\]\.fill_\(1\.0\)/);
    assert.match(r.after, /self\.lstm\.bias_ih_l0_reverse\[self\.lstm\.hidden_size:2 \* self\.lstm\.hidden_size\]\.fill_\(1\.0\)/);
  }
  // Another slice of the bias is not the forget gate: the finding stays, with a note.
  const other = `${TAGGER('hidden_dim')}with torch.no_grad():\n    tagger.lstm.bias_ih_l0[0:tagger.lstm.hidden_size].fill_(1.0)\n    tagger.lstm.bias_ih_l0_reverse[0:tagger.lstm.hidden_size].fill_(1.0)\n`;
  assert.ok(checkText(other, 'm.py').findings.some((f) => f.ruleId === 'lstm-forget-bias'));
});
