/**
 * vanishing-signal / exploding-signal: the predicted second moment of the signal entering the read-out layer,
 * relative to the model's input, is below / above the thresholds. One finding per model, at its construction,
 * naming the layers that cause it (in the message, and as related locations with the read-out). With unknown
 * sizes, only what holds for every possible value is reported.
 */
import type { RelatedLocation } from '../findings';
import { describeInitializer } from '../recommend';
import { factor } from '../format';
import { layerLabel, normalizedInput, preNormResidualBranches } from './graph';
import { WEIGHTED_KINDS } from '../model';
import type { LayerPrediction } from '../report';
import type { Rule, RuleContext, RuleFinding } from './types';

/** Layers named as the cause; more would flood the Problems panel, which shows related locations expanded. */
const MAX_CULPRITS = 3;

/**
 * The weighted layers that shrink (grow) the signal most, strongest first, and how many more there are. Only
 * weighted layers: their initialization is what a user can change, while an activation layer's gain (a ReLU's ½)
 * is the reason for that scaling, not a cause of its own; counting it would inflate "and N more".
 */
function culprits(ctx: RuleContext, direction: 'vanishing' | 'exploding', readout: number): { shown: LayerPrediction[]; more: number } {
  // Layers inside pre-norm residual branches start small on purpose: they are not what makes a signal vanish.
  const preNorm = preNormResidualBranches(ctx.model);
  const gains = ctx.prediction.layers
    .filter((p) => p.index < readout && WEIGHTED_KINDS.has(ctx.model.layers[p.index].kind))
    .filter((p) => p.forwardGain !== undefined && !preNorm.has(p.index))
    .filter((p) => (direction === 'vanishing' ? p.forwardGain! < 0.95 : p.forwardGain! > 1.05))
    .sort((a, b) => {
      // Equal gains (to 3 digits) keep the model's order, so messages are stable.
      const ga = Number(a.forwardGain!.toPrecision(3));
      const gb = Number(b.forwardGain!.toPrecision(3));
      return (direction === 'vanishing' ? ga - gb : gb - ga) || a.index - b.index;
    });
  return { shown: gains.slice(0, MAX_CULPRITS), more: Math.max(0, gains.length - MAX_CULPRITS) };
}

function culpritText(ctx: RuleContext, { shown, more }: ReturnType<typeof culprits>): string {
  if (!shown.length) return '';
  const named = shown.map((p) => {
    const layer = ctx.model.layers[p.index];
    const init = layer.kernel ? `, ${describeInitializer(layer.kernel)}` : '';
    return `${layerLabel(layer, ctx.model)} ${factor(p.forwardGain)}${init}`;
  });
  return ` Caused by ${named.join('; ')}${more ? ` and ${more} more` : ''}.`;
}

/** The read-out, then the layers the message names, in the model's order. */
function signalRelated(ctx: RuleContext, readout: number, { shown }: ReturnType<typeof culprits>): RelatedLocation[] {
  const out: RelatedLocation[] = [{ span: ctx.model.layers[readout].span, message: 'the read-out layer' }];
  for (const p of [...shown].sort((a, b) => a.index - b.index)) {
    const layer = ctx.model.layers[p.index];
    if (out.some((r) => r.span.start === layer.span.start && r.span.end === layer.span.end)) continue;
    out.push({ span: layer.span, message: `${layerLabel(layer, ctx.model)}: signal ${factor(p.forwardGain)} through this layer` });
  }
  return out;
}

function signalRule(direction: 'vanishing' | 'exploding'): Rule {
  const vanishing = direction === 'vanishing';
  return {
    meta: {
      id: `${direction}-signal`,
      defaultSeverity: 'warning',
      title: vanishing ? 'Signal vanishes before the read-out' : 'Signal explodes before the read-out',
      summary: `the signal entering the read-out is ${vanishing ? 'below 1e-2' : 'above 1e2'} of the input's`,
      description: vanishing
        ? "The predicted second moment of the signal entering the model's read-out layer is below 1e-2 of the input's (std shrunk tenfold)."
        : "The predicted second moment of the signal entering the model's read-out layer is above 1e2 times the input's (std grown tenfold).",
      fix: { availability: 'none' },
      docs: `InitLens predicts the second moment of the signal layer by layer with the mean-field recursion
q_l = c·E[f(√q_{l−1} z)²] + σ_b², c = fan_in·E[W²] (Poole et al. 2016, arXiv:1606.05340), using each framework's
realized weight variances and exact Gaussian moments of the activations. This rule compares the second moment
entering the read-out layer (the model's last weighted layer) with the input's, for a unit-Gaussian input by
default (setting \`initlens.input\` / CLI defaults). ${
        vanishing
          ? 'Below 1e-2 (std ×0.1) the read-out sees almost nothing of the input, and the gradients reaching the first layers shrink by a similar factor.'
          : 'Above 1e2 (std ×10) activations and gradients blow up, saturating units and producing huge first updates.'
      }

The message names the layers with the ${vanishing ? 'smallest' : 'largest'} per-layer gains. Normalization layers reset
the scale and residual adds sum the branches, so both are taken into account; where a size is unknown, the rule
reports only what holds for every possible value of it.

**Fix:** follow the per-layer findings (\`relu-needs-he\`, \`fixed-scale\`, …), or add normalization.

\`\`\`ts
// before: 8 dense layers, relu, default glorotNormal → signal ×7.5e-5 at the read-out
tf.layers.dense({units: 256, activation: 'relu'})
// after
tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heUniform'})
\`\`\`
`,
    },
    check(ctx): RuleFinding[] {
      const { readout, readoutRatio } = ctx.prediction;
      if (readout === undefined || !readoutRatio) return [];
      // A read-out fed by a normalization sees the scale the normalization sets, whatever came before it (a
      // pre-norm transformer's final LayerNorm after small GPT-2 embeddings): not a vanishing or exploding signal.
      if (normalizedInput(ctx.model, readout)) return [];
      const hit = vanishing ? readoutRatio.hi < ctx.thresholds.vanishing : readoutRatio.lo > ctx.thresholds.exploding;
      if (!hit) return [];
      const value = readoutRatio.estimate;
      const bound = value === undefined ? (vanishing ? ` at most ${factor(readoutRatio.hi)}` : ` at least ${factor(readoutRatio.lo)}`) : ` ${factor(value)}`;
      const depth = ctx.model.layers.filter((l) => l.index < readout && WEIGHTED_KINDS.has(l.kind)).length;
      const grad = ctx.prediction.layers[0]?.gradient?.estimate;
      const gradText = grad !== undefined ? ` The gradient reaching the first layer is ${factor(grad)}.` : '';
      const causes = culprits(ctx, direction, readout);
      return [
        {
          severity: 'warning',
          message:
            `signal ${vanishing ? 'vanishes' : 'explodes'}: its second moment entering the read-out ${layerLabel(ctx.model.layers[readout], ctx.model)} is${bound} of the input's ` +
            `(std ${factor(value !== undefined ? Math.sqrt(value) : undefined)}) after ${depth} weighted layer${depth === 1 ? '' : 's'}.${culpritText(ctx, causes)}${gradText}`,
          span: ctx.model.span,
          related: signalRelated(ctx, readout, causes),
          fixes: [],
        },
      ];
    },
  };
}

export const vanishingSignal = signalRule('vanishing');
export const explodingSignal = signalRule('exploding');
