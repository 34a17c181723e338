/** Hover tables and CodeLens titles on the real examples: the engine's numbers, found at the right places. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_THRESHOLDS } from '../../src/core/rules';
import { modelIndexAt, modelLenses, modelLensTitle, signalVerdict, weightedBeforeReadout } from '../../src/extension/logic/codelens';
import { checkText } from '../../src/engine/check';
import { layerAt, layerHoverMarkdown, modelAt, modelHoverMarkdown } from '../../src/extension/logic/hover';
import { generateModelFile } from '../../bench/lint-latency';
import { findingCounts, findingsOfModel } from '../../src/extension/logic/diagnostics';
import { check, checkSource, example, exampleFiles } from './helpers';

function row(md: string, label: string): string | undefined {
  const line = md.split('\n').find((l) => l.startsWith(`| ${label} |`));
  return line?.slice(label.length + 5, -2);
}

test('hover on a default-initialized ReLU dense layer: realized truncated normal, fans, gains, signal', () => {
  const { text, report } = check('mnist-mlp-default-init.ts');
  const offset = text.indexOf("tf.layers.dense({ units: 256, activation: 'relu' })") + 12;
  const hit = layerAt(report, offset)!;
  assert.equal(hit.layer.index, 1);
  const md = layerHoverMarkdown(hit);
  assert.match(md, /^\| \*\*dense\*\* \| layer 2 of 10 · model `\w+` \|\n\|:--\|:--\|\n/);
  // glorotNormal for 784 → 256: nominal std √(2/1040) = 0.0439; tfjs truncates at ±2σ without correction: 0.0386.
  assert.equal(row(md, 'kernel'), 'the default glorotNormal: truncated normal, std 0.0386, cut at ±0.0877 (0.774× the nominal variance)');
  assert.equal(row(md, 'fans'), 'in 784 · out 256 · c = fan-in·E[W²] = 1.17');
  assert.equal(row(md, 'activation'), 'relu, gain 0.5');
  assert.equal(row(md, 'layer gain'), '×0.58 forward · ×0.19 backward');
  assert.equal(row(md, 'signal E[x²]'), '1 in → 0.58 out (rms 0.76)');
  assert.equal(row(md, 'gradient E[δ²]'), '1.4e-5 at the input');
  assert.match(md, /input mean 0, std 1/);
  // Short enough for the hover widget without scrolling.
  assert.ok(md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| |')).length <= 8);
});

test('hover numbers agree with the prediction for every weighted layer of every example', () => {
  for (const name of exampleFiles()) {
    const { report } = check(name);
    for (const m of report.models) {
      for (const layer of m.model.layers) {
        const hit = layerAt(report, layer.span.start);
        assert.ok(hit, `${name}: no layer at layer ${layer.index}'s start`);
        const md = layerHoverMarkdown(hit);
        assert.ok(!/NaN|undefined|Infinity/.test(md), `${name} layer ${layer.index}:\n${md}`);
        const p = m.prediction.layers[hit.layer.index];
        if (p.forwardGain !== undefined) assert.ok(md.includes(`| layer gain | ×`), md);
      }
    }
  }
});

test('hover on an initializer expression finds its layer; a shared variable names every layer that uses it', () => {
  const { text, report } = check('he-normal-mlp.ts');
  const hit = layerAt(report, text.indexOf("'heNormal'") + 2)!;
  assert.equal(hit.layer.index, 0);
  const md = layerHoverMarkdown(hit);
  assert.match(row(md, 'kernel')!, /^`'heNormal'`: truncated normal, std 0\.0\d+, cut at ±0\.\d+ \(0\.774× the nominal variance\)$/);

  const wide = check('random-normal-wide.js');
  const decl = wide.text.indexOf('tf.initializers.randomNormal(');
  const shared = layerAt(wide.report, decl + 3);
  assert.ok(shared, 'hover on the shared initializer declaration');
  assert.ok(shared.sharedWith.length >= 1, 'shared with other layers');
  const smd = layerHoverMarkdown(shared);
  assert.match(smd, /The initializer is shared with layer/);
  assert.match(row(smd, 'kernel')!, /: normal, std 0\.05$/);
});

test('hover on a recurrent layer shows both kernels with their fans', () => {
  const { text, report } = check('gru-glorot-recurrent.ts');
  const hit = layerAt(report, text.indexOf('tf.layers.gru(') + 3)!;
  const md = layerHoverMarkdown(hit);
  assert.ok(row(md, 'kernel'));
  assert.ok(row(md, 'kernel fans'));
  assert.match(row(md, 'recurrent kernel')!, /^`'glorotUniform'`: uniform ±0\.\d+ \(std 0\.\d+\)$/);
  assert.ok(row(md, 'recurrent kernel fans'));
});

test('no hover outside models; a model hover on its construction', () => {
  const { text, report } = check('mnist-mlp-default-init.ts');
  assert.equal(layerAt(report, 0), undefined);
  assert.equal(modelAt(report, 0), undefined);
  const at = text.indexOf("tf.sequential({ name: 'mnist_mlp' })") + 4;
  const m = modelAt(report, at)!;
  const md = modelHoverMarkdown(m, report, DEFAULT_THRESHOLDS);
  assert.match(md, /10 layers · signal ×7\.6e-4 after 8 weighted layers \(vanishing\)/);
  assert.match(md, /9 findings in this model\./);
  assert.doesNotMatch(md, /prediction stops/);
});

test('CodeLens titles: layer count, signal at the read-out, findings', () => {
  const titles = (name: string) => modelLenses(check(name).report, DEFAULT_THRESHOLDS).map((l) => l.title);
  assert.deepEqual(titles('mnist-mlp-default-init.ts'), ['10 layers · signal ×7.6e-4 after 8 weighted layers (vanishing) · 9 findings']);
  assert.deepEqual(titles('mnist-mlp-he.ts'), ['10 layers · signal ×1 after 8 weighted layers']);
  assert.deepEqual(titles('random-normal-wide.js'), ['8 layers · signal ×280 after 7 weighted layers (exploding) · 7 findings']);
  assert.deepEqual(titles('cifar-cnn.ts'), ['20 layers · signal ×0.71 (×0.23–×0.71 for the unknown sizes) after 5 weighted layers']);
  const { report } = check('mnist-mlp-default-init.ts');
  const lens = modelLenses(report)[0];
  assert.deepEqual(lens.preview, { modelName: report.models[0].model.name, modelIndex: 0, offset: lens.span.start });
});

test('CodeLens with unknown sizes gives bounds, and says when nothing is known', () => {
  const text = `import * as tf from '@tensorflow/tfjs';
export function build(units: number) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units, inputShape: [784], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}
`;
  const report = checkSource(text);
  const t = modelLensTitle(report.models[0]);
  assert.match(t, /^2 layers · signal ≥ ×[\d.e-]+ \(sizes unknown\) after 1 weighted layer$/);
  assert.equal(weightedBeforeReadout(report.models[0]), 1);
  assert.equal(signalVerdict({ estimate: undefined, lo: 0, hi: Infinity }, DEFAULT_THRESHOLDS), undefined);
  assert.equal(signalVerdict({ estimate: 1e-3, lo: 1e-4, hi: 2e-3 }, DEFAULT_THRESHOLDS), 'vanishing');
});

test('CodeLens of a model whose code has a syntax error: where the prediction stops, never "no weighted layer"', () => {
  const broken = example('mnist-mlp-default-init.ts').replace("units: 256, activation: 'relu' }));", "units: 256, activation: 'relu'' }));");
  const report = checkSource(broken, 'm.ts');
  assert.equal(modelLensTitle(report.models[0]), '3 layers · signal unknown (prediction stops at layer 2: syntax error at line 12)');
  const flat = checkSource(`import * as tf from '@tensorflow/tfjs';
const m = tf.sequential();
m.add(tf.layers.flatten({inputShape: [4, 4]}));
`, 'm.ts');
  assert.equal(modelLensTitle(flat.models[0]), '1 layer · no weighted layer');
});

test('findingCounts counts per model what findingsOfModel finds, in one pass', () => {
  for (const text of [generateModelFile(1200), ...exampleFiles().map((f) => example(f))]) {
    const report = checkSource(text, 'm.ts');
    assert.deepEqual(
      findingCounts(report),
      report.models.map((m) => findingsOfModel(report, m).length),
    );
  }
});

test('the Preview command without a lens takes the model under the cursor, else the nearest one before it', () => {
  const text = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [64], units: 64, activation: 'relu' }));
model.add(tf.layers.dense({ units: 10 }));

const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
`;
  const two = checkText(text, 'm.ts');
  assert.equal(two.models.length, 2);
  assert.equal(modelIndexAt(two.models, two.models[1].model.layers[0].span.start + 1), 1);
  assert.equal(modelIndexAt(two.models, 0), 0);
  assert.equal(modelIndexAt(two.models, text.length), 1);
});
