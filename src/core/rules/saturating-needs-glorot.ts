import { activationAlpha } from '../activations';
import { describeInitializer, recommend } from '../recommend';
import { derivativeSecondMoment, secondMoment } from '../moments';
import { activationLabel, activationRelated, layerCases, initializerSpan } from './layer-cases';
import { swapInitializerFix } from './fixes';
import { factor, fmt, pct } from '../format';
import { layerLabel } from './graph';
import { normalCdf } from '../activations';
import type { Rule, RuleFinding } from './types';
import { computeFans, realize } from '../realize';

/** Fixed point q* of q = c·E[f(√q z)²] (stable for saturating f: the ratio E[f²]/q falls with q, reference §4.3). */
const fixedPoints = new Map<string, number>();

export function fixedPoint(id: string, alpha: number, c: number): number {
  const key = `${id}|${alpha}|${c}`;
  const hit = fixedPoints.get(key);
  if (hit !== undefined) return hit;
  const q = solveFixedPoint(id, alpha, c);
  if (fixedPoints.size > 1024) fixedPoints.clear();
  fixedPoints.set(key, q);
  return q;
}

/**
 * Since E[f(√q z)²]/q falls with q, c·E[f²] − q is positive below q* and negative above: bisection finds q* to
 * 1e-12 relative. Where f(0) = 0 and c·f'(0)² ≤ 1 the ratio never reaches 1/c and q* = 0 exactly; iterating the
 * map instead approaches 0 only like 1/(2l) (tanh at c = 1: q = 0.0025 and χ = 0.995 after 200 steps, not 1).
 */
function solveFixedPoint(id: string, alpha: number, c: number): number {
  const above = (q: number) => c * (secondMoment(id, q, alpha) ?? 0) > q;
  if (secondMoment(id, 0, alpha) === 0 && c * (derivativeSecondMoment(id, 0, alpha) ?? Infinity) <= 1) return 0;
  let lo = 0;
  let hi = Math.max(c, 1);
  for (let i = 0; i < 64 && above(hi); i++) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (above(mid)) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
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

/** Backward gain per layer at the depth map's fixed point: χ = c·E[f'(√q* z)²] (Schoenholz et al. 2017). */
function chi(id: string, alpha: number, c: number): { q: number; chi: number } {
  const q = fixedPoint(id, alpha, c);
  return { q, chi: c * (derivativeSecondMoment(id, q, alpha) ?? NaN) };
}

export const saturatingNeedsGlorot: Rule = {
  meta: {
    id: 'saturating-needs-glorot',
    defaultSeverity: 'warning',
    title: 'Saturating activation after He-scaled weights',
    summary: 'He scaling before tanh/softsign where Glorot is closer to the critical gain',
    description:
      'He/Kaiming-scaled weights (Var = 2/fan_in) feed tanh, hard tanh or softsign (or sigmoid, where it matters): the layer map is chaotic, so gradients grow with depth and nearby inputs decorrelate.',
    fix: { availability: 'always', safety: 'unsafe' },
    docs: `He initialization doubles the weight variance to make up for the half of the signal a ReLU discards.
A zero-centred saturating activation discards nothing near zero (tanh′(0) = 1), so with He weights (c = fan_in·Var(W) = 2)
a deep stack settles where the per-layer backward gain χ = c·E[f′(h)²] is above 1: the network is in the *chaotic*
phase of Poole et al. 2016 / Schoenholz et al. 2017 (arXiv:1611.01232). For tanh the pre-activations settle at
std 0.79 and χ = 1.11, so gradients grow ×8 over 20 layers, and two nearby inputs are pushed apart layer after layer.
With Glorot weights on square layers (c = 1) tanh sits at the critical point χ = 1, which is why Glorot & Bengio (2010)
derived that scale for tanh-like units.

The message gives χ for the current initializer and for the suggested one. For sigmoid and hard sigmoid, whose mean
of 0.5 dominates the signal, χ is far below 1 with either scaling and Glorot is no closer to 1 than He: the rule then
stays silent (a deep sigmoid stack shows up as \`vanishing-signal\` instead).

**Fix:** Glorot/Xavier initialization (Var = 2/(fan_in + fan_out)). In tfjs prefer \`glorotUniform\`
(\`glorotNormal\` realizes 0.774× its variance).

\`\`\`ts
// before
tf.layers.dense({units: 128, activation: 'tanh', kernelInitializer: 'heNormal'})
// after
tf.layers.dense({units: 128, activation: 'tanh', kernelInitializer: 'glorotUniform'})
\`\`\`
`,
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const c of layerCases(ctx)) {
      if (c.reached?.family !== 'saturating' || c.family !== 'he' || c.c.estimate === undefined) continue;
      const id = c.reached.activation.id!;
      const alpha = activationAlpha(id, c.reached.activation.alpha);
      const rec = recommend(c.ref.framework, 'glorot', c.ref);
      const alt = realize(
        { framework: c.ref.framework, id: rec.id, args: rec.args ?? {}, unknownArgs: [], falsyArgs: [], explicit: true, form: 'string' },
        computeFans(c.ref.framework, c.layer, 'kernel'),
      );
      const fanIn = c.realized ? c.c.estimate / (c.realized.variance + c.realized.mean ** 2) : undefined;
      const cAlt = alt && fanIn !== undefined ? fanIn * (alt.variance + alt.mean ** 2) : undefined;
      const now = chi(id, alpha, c.c.estimate);
      const then = cAlt !== undefined ? chi(id, alpha, cAlt) : undefined;
      // Report only where the suggested scaling is really closer to the critical χ = 1.
      if (!then || !(Math.abs(Math.log(now.chi)) > Math.abs(Math.log(then.chi)) + 0.01)) continue;
      const x = SATURATION_X[id];
      const saturated = x !== undefined ? 2 * (1 - normalCdf(x / Math.sqrt(now.q))) : 0;
      const over20 = now.chi ** 20;
      const span = initializerSpan(c.ref, c.layer);
      out.push({
        severity: c.ref.explicit ? 'warning' : 'info',
        message:
          `${describeInitializer(c.ref)} (He scaling, c = ${fmt(c.c.estimate)}) before ${activationLabel(c.reached)}: ` +
          `backward gain per layer ${fmt(now.chi, 3)} where 1 is critical (gradients ${factor(over20)} over 20 such layers); ` +
          `pre-activations settle at std ${fmt(Math.sqrt(now.q))}` +
          (saturated > 0.01 ? `, ${pct(saturated)} of units saturated` : '') +
          `. Use ${rec.id} (backward gain ${fmt(then.chi, 3)}).`,
        span,
        layer: c.layer.index,
        related: activationRelated(c, ctx.model, span),
        fixes: [swapInitializerFix(c.layer.index, 'kernel', rec, layerLabel(c.layer, ctx.model))],
      });
    }
    return out;
  },
};
