import { describeInitializer, recommend } from '../recommend';
import { activationLabel, activationRelated, depthNote, layerCases, ON_TARGET_TOLERANCE, shortfallNote, initializerSpan } from './layer-cases';
import { swapInitializerFix } from './fixes';
import { fmt } from '../format';
import { layerLabel } from './graph';
import type { Rule, RuleFinding } from './types';

const LINEAR_SCALED = new Set(['glorot', 'lecun', 'torchDefault']);

/**
 * Judged on the realized gain, not the family's name: Glorot into a much narrower layer realizes nearly He's scale
 * (c = 2·fan_in/(fan_in+fan_out), so Dense(1, relu) after 512 units keeps 0.998 of the signal), and then nothing
 * shrinks. Unknown gains are still reported.
 */
function keepsSignal(gain: number | undefined): boolean {
  return gain !== undefined && gain > 1 - ON_TARGET_TOLERANCE;
}

export const reluNeedsHe: Rule = {
  meta: {
    id: 'relu-needs-he',
    defaultSeverity: 'warning',
    title: 'ReLU-family activation after weights scaled for linear units',
    summary: 'Glorot/LeCun or a framework default before a ReLU-family activation',
    description:
      'Glorot/Xavier, LeCun or a framework default (tfjs glorotNormal, Keras glorot_uniform, PyTorch Linear/Conv) feeds a ReLU-family activation with no normalization in between: each layer shrinks the signal.',
    fix: { availability: 'always', safety: 'unsafe' },
    docs: `A ReLU zeroes half of its input, so it keeps only half of the second moment: E[relu(z)²] = ½·E[z²]
(He et al. 2015, arXiv:1502.01852). Weights scaled for linear units (Glorot/Xavier: Var = 2/(fan_in+fan_out);
LeCun: 1/fan_in) do not make up for that half, so every such layer multiplies the signal's second moment by about
½, and by less with the frameworks' defaults:

| initializer | per-layer gain before ReLU |
|---|---|
| Keras \`glorot_uniform\` (square layer) | 0.5 |
| tfjs default \`glorotNormal\` (uncorrected truncated normal: 0.774× the variance) | 0.387 |
| PyTorch \`nn.Linear\`/\`nn.Conv\` default (Var = 1/(3·fan_in)) | 0.167 |

After 10 such layers with the tfjs default the signal is ×7.5e-5 (0.387¹⁰): gradients vanish with it and training
stalls. The family covers relu, relu6, leaky ReLU/PReLU, ELU, GELU, swish/SiLU and mish.

**Fix:** use He (Kaiming) initialization, Var(W) = 2/fan_in (for leaky ReLU with slope a: 2/((1+a²)·fan_in)).
In tfjs prefer \`heUniform\`, which realizes exactly 2/fan_in (\`heNormal\` realizes 0.774× of it).

Not reported when a batch or layer normalization sits between the layer and the activation: it resets the scale,
nor where the weights already keep the signal (gain 0.995 or more: Glorot into a single unit realizes
c = 2·fan_in/(fan_in+1), almost He's 2).
Findings on a framework default are information unless the model is deep enough for the loss to matter.

\`\`\`ts
// before
tf.layers.dense({units: 256, activation: 'relu'})
// after
tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heUniform'})
\`\`\`

\`\`\`python
# before
nn.init.xavier_uniform_(self.fc1.weight)   # then F.relu(self.fc1(x))
# after
nn.init.kaiming_uniform_(self.fc1.weight, nonlinearity="relu")
\`\`\`
`,
  },
  check(ctx) {
    const cases = layerCases(ctx).filter(
      (c) => c.reached?.family === 'relu' && LINEAR_SCALED.has(c.family) && c.ref.id !== undefined && !keepsSignal(c.signalGain),
    );
    const depth = depthNote(cases);
    const ratio = ctx.prediction.readoutRatio;
    const deepTrouble =
      (ratio !== undefined && ratio.hi < ctx.thresholds.vanishing) ||
      (depth.product !== undefined && cases.length > 1 && depth.product < ctx.thresholds.vanishing);
    return cases.map((c): RuleFinding => {
      const rec = recommend(c.ref.framework, 'he', c.ref, c.reached!.activation.alpha);
      const gain = c.signalGain !== undefined ? `per-layer signal gain ${fmt(c.signalGain)}` : 'the signal shrinks at every layer';
      const message =
        `${describeInitializer(c.ref)} before ${activationLabel(c.reached!)}: ${gain}${shortfallNote(c.realized)}` +
        `${depth.text}. Use ${rec.id}.`;
      const span = initializerSpan(c.ref, c.layer);
      return {
        severity: c.ref.explicit || deepTrouble ? 'warning' : 'info',
        message,
        span,
        layer: c.layer.index,
        related: activationRelated(c, ctx.model, span),
        fixes: [swapInitializerFix(c.layer.index, 'kernel', rec, layerLabel(c.layer, ctx.model))],
      };
    });
  },
};
