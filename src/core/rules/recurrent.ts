import { FRAMEWORK_FACTS } from '../initializers';
import { RECURRENT_KINDS } from '../model';
import { describeInitializer, recommend } from '../recommend';
import { scaleFamily } from '../realize';
import { layerLabel } from './graph';
import { initializerSpan } from './layer-cases';
import { forgetBiasFix, swapInitializerFix } from './fixes';
import type { Rule, RuleFinding } from './types';

export const recurrentNotOrthogonal: Rule = {
  meta: {
    id: 'recurrent-not-orthogonal',
    defaultSeverity: 'warning',
    title: 'Recurrent kernel not orthogonal',
    summary: 'a non-orthogonal recurrent kernel',
    description: 'A recurrent kernel set to a non-orthogonal initializer: repeated multiplication by it over time shrinks or grows the state.',
    fix: { availability: 'always', safety: 'unsafe' },
    docs: `A recurrent kernel U multiplies the hidden state once per time step, so after T steps the state has been
multiplied by U^T. The eigenvalues of a random Gaussian or uniform matrix spread over a disc, and their powers
vanish or explode geometrically with T. An orthogonal matrix has every singular value 1, so it preserves the norm of
the state at every step (Saxe et al. 2014, arXiv:1312.6120). tfjs and Keras default recurrent kernels to
\`orthogonal\`; PyTorch's \`nn.RNN\`/\`nn.LSTM\`/\`nn.GRU\` draw every weight from U(±1/√hidden), so they are reported
there as information.

**Fix:** \`orthogonal\` (tfjs, Keras) or \`nn.init.orthogonal_\` on \`weight_hh_l*\` (PyTorch; per gate block for LSTM/GRU).

\`\`\`ts
// before
tf.layers.lstm({units: 64, recurrentInitializer: 'glorotUniform'})
// after
tf.layers.lstm({units: 64, recurrentInitializer: 'orthogonal'})
\`\`\`
`,
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const layer of ctx.model.layers) {
      if (!RECURRENT_KINDS.has(layer.kind) || !layer.recurrent || layer.recurrent.id === undefined) continue;
      const family = scaleFamily(layer.recurrent);
      if (family === 'orthogonal') continue;
      const rec = recommend(layer.recurrent.framework, 'orthogonal');
      out.push({
        severity: layer.recurrent.explicit ? 'warning' : 'info',
        message: `${describeInitializer(layer.recurrent)} as the recurrent kernel of ${layerLabel(layer, ctx.model)}: over ${
          layer.timeSteps ?? 'T'
        } time steps the state is multiplied by U^${layer.timeSteps ?? 'T'}, whose spread of singular values shrinks or grows it. Use ${rec.id}.`,
        span: initializerSpan(layer.recurrent, layer),
        layer: layer.index,
        related: [],
        fixes: [swapInitializerFix(layer.index, 'recurrent', rec, layerLabel(layer, ctx.model))],
      });
    }
    return out;
  },
};

export const lstmForgetBias: Rule = {
  meta: {
    id: 'lstm-forget-bias',
    defaultSeverity: 'warning',
    title: 'LSTM without forget-gate bias 1',
    summary: "an LSTM without forget-gate bias 1 (tfjs's default)",
    description: 'An LSTM whose forget-gate bias starts at 0 (tfjs unitForgetBias off by default; Keras unit_forget_bias=False; PyTorch default).',
    fix: { availability: 'always', safety: 'unsafe' },
    docs: `With a zero forget-gate bias the forget gate starts at σ(0) = 0.5 (tfjs's hard sigmoid gives the same), so
the cell keeps half of its memory per step: after 10 steps 0.5¹⁰ ≈ 0.001 of it is left, and gradients through the
cell vanish as fast. A bias of 1 starts the gate at σ(1) = 0.73 (0.2·1 + 0.5 = 0.7 for tfjs's hard sigmoid) and
lets long-range dependencies be learned (Gers et al. 2000; Jozefowicz et al. 2015 found it closes most of the gap
to GRUs). Keras sets \`unit_forget_bias=True\` by default; **tfjs does not** (\`unitForgetBias\` is undefined, i.e.
off, recurrent.ts:1676), and PyTorch has no such option (fill the forget slice of \`bias_ih\`/\`bias_hh\` yourself).

**Fix:** \`unitForgetBias: true\` (tfjs), \`unit_forget_bias=True\` (Keras), or in PyTorch
\`param.data[n//4:n//2].fill_(1.0)\` on the biases.

\`\`\`ts
// before
tf.layers.lstm({units: 64})
// after
tf.layers.lstm({units: 64, unitForgetBias: true})
\`\`\`
`,
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const layer of ctx.model.layers) {
      if (layer.kind !== 'lstm' || layer.unitForgetBias !== false) continue;
      const explicit = layer.unitForgetBiasExplicit === true;
      const keep10 = 0.5 ** 10;
      out.push({
        severity: explicit ? 'warning' : 'info',
        message: `${layerLabel(layer, ctx.model)} starts its forget gate at 0.5${explicit ? '' : ` (the ${FRAMEWORK_FACTS[ctx.model.framework].label} default)`}: the cell keeps ${keep10.toExponential(0)} of its memory after 10 steps. Set the forget-gate bias to 1.`,
        span: layer.span,
        layer: layer.index,
        related: [],
        fixes: [forgetBiasFix(layer.index, layerLabel(layer, ctx.model), ctx.model.framework)],
      });
    }
    return out;
  },
};
