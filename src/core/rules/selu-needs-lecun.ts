import { describeInitializer, recommend } from '../recommend';
import { activationLabel, activationRelated, layerCases, onTarget, shortfallNote, initializerSpan } from './layer-cases';
import { swapInitializerFix } from './fixes';
import { fmt } from '../format';
import { layerLabel } from './graph';
import type { Rule, RuleFinding } from './types';

export const seluNeedsLecun: Rule = {
  meta: {
    id: 'selu-needs-lecun',
    defaultSeverity: 'warning',
    title: 'SELU without LeCun initialization',
    summary: 'SELU without LeCun scaling',
    description: 'A SELU layer whose weights are not LeCun-scaled (Var = 1/fan_in): the self-normalizing fixed point is lost.',
    fix: { availability: 'always', safety: 'unsafe' },
    docs: `SELU's self-normalizing property (Klambauer et al. 2017, arXiv:1706.02515) holds only when
fan_in·Var(W) = 1: then mean 0 and variance 1 are a stable fixed point of the layer map, and deep SELU networks
train without normalization layers. With Glorot weights on a wide-to-narrow layer, or He weights (c = 2), or the
tfjs default \`glorotNormal\` (c ≈ 0.77 on square layers), the activations drift away from unit variance layer after
layer. Judged on the realized c: weights that already give c = 1 within 0.5% are not reported, whatever their name
(Glorot on a square layer: Var = 2/(n+n) = 1/n).

**Fix:** LeCun-normal (Keras \`lecun_normal\`; PyTorch \`kaiming_normal_(w, nonlinearity='linear')\`, as the
\`calculate_gain\` docstring advises — not \`'selu'\`, whose 3/4 is an empirical value). In tfjs use \`leCunUniform\`:
tfjs's \`leCunNormal\` samples an uncorrected truncated normal and realizes 0.774/fan_in; the uniform variant has
exactly 1/fan_in, and by the central limit theorem the pre-activations are Gaussian either way.

\`\`\`ts
// before
tf.layers.dense({units: 64, activation: 'selu'})
// after
tf.layers.dense({units: 64, activation: 'selu', kernelInitializer: 'leCunUniform'})
\`\`\`
`,
  },
  check(ctx) {
    return layerCases(ctx)
      // Judged on the realized c, not the family's name: Glorot on a square layer already has c = 1.
      .filter((c) => c.reached?.family === 'selu' && c.family !== 'lecun' && !onTarget(c.c.estimate, 1))
      .map((c): RuleFinding => {
        const rec = recommend(c.ref.framework, 'lecun', c.ref);
        const cText = c.c.estimate !== undefined ? `: fan_in·Var(W) = ${fmt(c.c.estimate, 3)} instead of 1${shortfallNote(c.realized)}` : '';
        const span = initializerSpan(c.ref, c.layer);
        return {
          severity: c.ref.explicit ? 'warning' : 'info',
          message: `${describeInitializer(c.ref)} before ${activationLabel(c.reached!)}${cText}; SELU self-normalizes only with LeCun scaling. Use ${rec.id}.`,
          span,
          layer: c.layer.index,
          related: activationRelated(c, ctx.model, span),
          fixes: [swapInitializerFix(c.layer.index, 'kernel', rec, layerLabel(c.layer, ctx.model))],
        };
      });
  },
};
