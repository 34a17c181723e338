import { activationAlpha } from '../activations';
import { describeInitializer, recommend } from '../recommend';
import { derivativeSecondMoment, secondMoment } from '../moments';
import { activationLabel, layerCases } from './layer-cases';
import { fmt, pct } from './format';
import { layerLabel } from './graph';
import { normalCdf } from '../activations';
import type { Rule } from './types';

/** Fixed point q* of q = c·E[f(√q z)²] (stable for saturating f: the ratio E[f²]/q falls with q, reference §4.3). */
export function fixedPoint(id: string, alpha: number, c: number): number {
  let q = 1;
  for (let i = 0; i < 200; i++) {
    const next = c * (secondMoment(id, q, alpha) ?? 0);
    if (Math.abs(next - q) < 1e-10 * Math.max(1, q)) return next;
    q = next;
  }
  return q;
}

/** Pre-activation level beyond which the activation is saturated (|f| > 0.99 of its range). */
const SATURATION_X: Record<string, number> = {
  tanh: Math.atanh(0.99), // |tanh x| > 0.99
  sigmoid: Math.log(0.99 / 0.01), // σ(x) > 0.99 or < 0.01
  hardSigmoid: 2.45, // 0.2x + 0.5 > 0.99
  hardSigmoidSixth: 2.94, // x/6 + 0.5 > 0.99
  hardTanh: 0.99,
  softsign: 99, // x/(1+|x|) > 0.99
};

export const saturatingNeedsGlorot: Rule = {
  meta: {
    id: 'saturating-needs-glorot',
    defaultSeverity: 'warning',
    title: 'Saturating activation after He-scaled weights',
    description:
      'He/Kaiming-scaled weights (Var = 2/fan_in) feed tanh, sigmoid, hard sigmoid or softsign: the pre-activations are too wide, the units saturate and their gradients vanish.',
    fixable: true,
    docs: `He initialization doubles the weight variance to make up for the half of the signal a ReLU discards.
A saturating activation discards nothing near zero (tanh′(0) = 1), so with He weights its pre-activations settle at
a variance about twice too large: for tanh the depth map q ← 2·E[tanh(√q z)²] has its fixed point at q* ≈ 1.1
(std ≈ 1.05), where a sizeable share of the units sit in the flat tails and E[tanh′²] drops. Each layer then
passes back less gradient than it should, and sigmoid, whose derivative is at most ¼, suffers more.

**Fix:** use Glorot/Xavier initialization (Var = 2/(fan_in + fan_out)), which Glorot & Bengio (2010) derived for
tanh-like units. In tfjs prefer \`glorotUniform\` (\`glorotNormal\` realizes 0.774× its variance).

\`\`\`ts
// before
tf.layers.dense({units: 128, activation: 'tanh', kernelInitializer: 'heNormal'})
// after
tf.layers.dense({units: 128, activation: 'tanh', kernelInitializer: 'glorotUniform'})
\`\`\`
`,
  },
  check(ctx) {
    return layerCases(ctx)
      .filter((c) => c.reached?.family === 'saturating' && c.family === 'he')
      .map((c) => {
        const id = c.reached!.activation.id!;
        const alpha = activationAlpha(id, c.reached!.activation.alpha);
        const rec = recommend(c.ref.framework, 'glorot', c.ref);
        let detail = '';
        if (c.c.estimate !== undefined) {
          const q = fixedPoint(id, alpha, c.c.estimate);
          const x = SATURATION_X[id];
          const saturated = x !== undefined ? 2 * (1 - normalCdf(x / Math.sqrt(q))) : undefined;
          const d2 = derivativeSecondMoment(id, q, alpha);
          detail =
            `: pre-activations settle at std ${fmt(Math.sqrt(q))}` +
            (saturated !== undefined ? `, ${pct(saturated)} of units saturated` : '') +
            (d2 !== undefined ? `, backward gain per layer ${fmt(c.c.estimate * d2)}` : '');
        }
        return {
          severity: c.ref.explicit ? ('warning' as const) : ('info' as const),
          message: `${describeInitializer(c.ref)} (He scaling) before ${activationLabel(c.reached!)}${detail}. Use ${rec.id}.`,
          span: c.ref.span ?? c.layer.span,
          layer: c.layer.index,
          related: [],
          fixes: [
            {
              title: `Use ${rec.id} for the kernel of ${layerLabel(c.layer)}`,
              intent: { kind: 'setInitializer' as const, layer: c.layer.index, slot: 'kernel' as const, to: rec.id, args: rec.args },
              safe: false,
            },
          ],
        };
      });
  },
};
