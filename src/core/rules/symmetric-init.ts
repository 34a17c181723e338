import { recommend, targetFor } from '../recommend';
import { realize } from '../realize';
import { consumers, endsResidualBranch, feedsWeightedLayer, layerLabel } from './graph';
import { layerCases, initializerSpan } from './layer-cases';
import { findReadout } from '../propagate';
import type { Rule, RuleFinding } from './types';
import { swapInitializerFix } from './fixes';
import { fmt } from '../format';

export const symmetricInit: Rule = {
  meta: {
    id: 'symmetric-init',
    defaultSeverity: 'error',
    title: 'Constant kernel in a hidden layer',
    summary: 'a constant kernel in a hidden layer',
    description:
      'A constant kernel (zeros, ones, constant) in a layer whose output feeds another weighted layer: every unit computes the same function and receives the same gradient, so they never become different.',
    fix: { availability: 'always', safety: 'unsafe' },
    docs: `With a constant kernel every unit of a layer computes the same output and, in the backward pass, gets the
same gradient, so gradient descent keeps them identical forever: the layer behaves like a single unit, however wide
(NeuraLint f004: "The initialization of weights should not be constant to break the symmetry between neurons").
A zero kernel feeding another layer also blocks the gradient of every layer below it.

Not reported for biases, normalization scales, the model's read-out layer, or the last layer of a residual branch:
zero-initializing those is deliberate (Fixup, SkipInit, ZerO, µP zero read-out).

**Fix:** a random initializer scaled for the activation that follows (He for ReLU, Glorot for tanh/sigmoid, LeCun
for SELU).

\`\`\`ts
// before
tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'zeros'})
// after
tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heUniform'})
\`\`\`
`,
  },
  check(ctx) {
    const cons = consumers(ctx.model);
    const readout = findReadout(ctx.model);
    return layerCases(ctx)
      .filter(
        (c) =>
          c.family === 'constant' &&
          c.layer.index !== readout &&
          feedsWeightedLayer(ctx.model, c.layer.index, cons) &&
          !endsResidualBranch(ctx.model, c.layer.index, cons),
      )
      .map((c): RuleFinding => {
        const target = targetFor(c.reached?.family ?? 'linear');
        const rec = recommend(c.ref.framework, target, c.ref, c.reached?.activation.alpha);
        const value = realize(c.ref, {})?.mean;
        return {
          severity: 'error',
          message: `constant kernel (every weight = ${fmt(value)}) in a hidden layer: all ${c.layer.outFeatures ?? ''} units stay identical through training. Use ${rec.id}.`.replace('all  units', 'all units'),
          span: initializerSpan(c.ref, c.layer),
          layer: c.layer.index,
          related: [],
          fixes: [swapInitializerFix(c.layer.index, 'kernel', rec, layerLabel(c.layer, ctx.model))],
        };
      });
  },
};
