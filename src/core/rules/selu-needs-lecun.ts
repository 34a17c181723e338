import { describeInitializer, recommend } from '../recommend';
import { activationLabel, layerCases, shortfallNote, initializerSpan } from './layer-cases';
import { fmt } from './format';
import { layerLabel } from './graph';
import type { Rule } from './types';

export const seluNeedsLecun: Rule = {
  meta: {
    id: 'selu-needs-lecun',
    defaultSeverity: 'warning',
    title: 'SELU without LeCun initialization',
    description: 'A SELU layer whose weights are not LeCun-scaled (Var = 1/fan_in): the self-normalizing fixed point is lost.',
    fixable: true,
    docs: `SELU's self-normalizing property (Klambauer et al. 2017, arXiv:1706.02515) holds only when
fan_in·Var(W) = 1: then mean 0 and variance 1 are a stable fixed point of the layer map, and deep SELU networks
train without normalization layers. With Glorot weights on a wide-to-narrow layer, or He weights (c = 2), or the
tfjs default \`glorotNormal\` (c ≈ 0.77 on square layers), the activations drift away from unit variance layer after
layer.

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
      .filter((c) => c.reached?.family === 'selu' && c.family !== 'lecun')
      .map((c) => {
        const rec = recommend(c.ref.framework, 'lecun', c.ref);
        const cText = c.c.estimate !== undefined ? `: fan_in·Var(W) = ${fmt(c.c.estimate)} instead of 1${shortfallNote(c.realized)}` : '';
        return {
          severity: c.ref.explicit ? ('warning' as const) : ('info' as const),
          message: `${describeInitializer(c.ref)} before ${activationLabel(c.reached!)}${cText}; SELU self-normalizes only with LeCun scaling. Use ${rec.id}.`,
          span: initializerSpan(c.ref, c.layer),
          layer: c.layer.index,
          related: [],
          fixes: [
            {
              title: `Use ${rec.id} for the kernel of ${layerLabel(c.layer, ctx.model)}`,
              intent: { kind: 'setInitializer' as const, layer: c.layer.index, slot: 'kernel' as const, to: rec.id, args: rec.args },
              safe: false,
            },
          ],
        };
      });
  },
};
