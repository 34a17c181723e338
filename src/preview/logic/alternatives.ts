/**
 * The same model with other initializers, for the side-by-side comparison: the current one, the engine's
 * suggestion (the fixes its findings carry), Glorot, He, LeCun (each framework's exact-variance variant, the
 * same table the quick fixes use: core/recommend.ts), N(0, 0.01²), N(0, 1), and LSUV once computed.
 *
 * Only the kernels (input weights: dense, conv and recurrent input kernels, the pointwise kernel of separable
 * convolutions) change; recurrent kernels, biases, embeddings and normalization parameters keep theirs. Pure.
 */
import { activationSpec } from '../../core/activations';
import type { FixIntent } from '../../core/findings';
import type { InitializerArgs, InitializerRef, LayerKind, LayerNode, Model } from '../../core/model';
import { recommend, type TargetScaling } from '../../core/recommend';
import { normalInitializer } from './fixes';
import type { LsuvLayerRequest } from './messages';

export type AlternativeId = 'current' | 'suggested' | 'glorot' | 'he' | 'lecun' | 'normal-0.01' | 'normal-1' | 'lsuv';

export interface AlternativeInfo {
  id: AlternativeId;
  label: string;
  /** Longer description for the tooltip. */
  title: string;
}

export const ALTERNATIVES: readonly AlternativeInfo[] = [
  { id: 'current', label: 'Current', title: 'The initializers as written (or the framework defaults)' },
  { id: 'suggested', label: 'Suggested', title: "The initializers InitLens's findings suggest" },
  { id: 'glorot', label: 'Glorot', title: 'Glorot/Xavier for every kernel: Var(W) = 2 / (fan_in + fan_out)' },
  { id: 'he', label: 'He', title: 'He/Kaiming for every kernel: Var(W) = 2 / fan_in' },
  { id: 'lecun', label: 'LeCun', title: 'LeCun for every kernel: Var(W) = 1 / fan_in' },
  { id: 'normal-0.01', label: 'N(0, 0.01²)', title: 'A fixed normal with std 0.01 for every kernel, whatever its width' },
  { id: 'normal-1', label: 'N(0, 1)', title: 'A fixed unit normal for every kernel, whatever its width' },
  { id: 'lsuv', label: 'LSUV', title: 'Layer-sequential unit variance (Mishkin & Matas 2015): each kernel rescaled until its output variance is 1 on the synthetic batch' },
];

/** Layers whose input kernel the alternatives replace. */
const KERNEL_KINDS: ReadonlySet<LayerKind> = new Set<LayerKind>(['dense', 'conv', 'convTranspose', 'depthwiseConv', 'simpleRNN', 'lstm', 'gru']);

function ref(framework: Model['framework'], id: string, args: InitializerArgs = {}): InitializerRef {
  return { framework, id, args, unknownArgs: [], falsyArgs: [], explicit: true, form: 'string' };
}

function withSlot(node: LayerNode, slot: 'kernel' | 'pointwise' | 'recurrent' | 'bias', r: InitializerRef): LayerNode {
  return { ...node, [slot]: r };
}

/** The slot(s) an alternative replaces in a layer. */
function kernelSlots(node: LayerNode): ('kernel' | 'pointwise')[] {
  if (node.kind === 'separableConv') return ['kernel', 'pointwise'];
  return KERNEL_KINDS.has(node.kind) ? ['kernel'] : [];
}

/** The activation a layer's output feeds (its fused one, else a following activation layer), for He's leaky slope. */
function alphaOf(model: Model, node: LayerNode): number | undefined {
  const act = node.activation?.id && node.activation.id !== 'linear' ? node.activation : model.layers.find((l) => l.inputs.length === 1 && l.inputs[0] === node.index && l.kind === 'activation')?.activation;
  if (!act?.id) return undefined;
  return activationSpec(act.id)?.defaultAlpha !== undefined ? act.alpha : undefined;
}

function scaled(model: Model, target: TargetScaling): Model {
  const layers = model.layers.map((node) => {
    let n = node;
    for (const slot of kernelSlots(node)) {
      const r = recommend(model.framework, target, undefined, alphaOf(model, node));
      n = withSlot(n, slot, ref(model.framework, r.id, r.args));
    }
    return n;
  });
  return { ...model, layers };
}

function fixedNormal(model: Model, std: number): Model {
  const { to, args } = normalInitializer(model.framework, std);
  const layers = model.layers.map((node) => {
    let n = node;
    for (const slot of kernelSlots(node)) n = withSlot(n, slot, ref(model.framework, to, { ...args, stddev: std }));
    return n;
  });
  return { ...model, layers };
}

/** The model with the fixes' intents applied (what "Apply suggested initializers" would write). */
export function applyIntents(model: Model, intents: readonly FixIntent[]): Model {
  const layers = model.layers.slice();
  for (const intent of intents) {
    const node = layers[intent.layer];
    if (!node) continue;
    switch (intent.kind) {
      case 'setInitializer': {
        const slot = intent.slot === 'embeddings' ? 'kernel' : intent.slot;
        layers[intent.layer] = { ...node, [slot]: ref(model.framework, intent.to, intent.args ?? {}) };
        break;
      }
      case 'setLayerOption':
        layers[intent.layer] = { ...node, [intent.option]: intent.value, unitForgetBiasExplicit: true };
        break;
      case 'fixFalsyArg': {
        const slot = intent.slot === 'embeddings' ? 'kernel' : intent.slot;
        const r = node[slot as 'kernel'];
        if (!r) break;
        // The fix writes ±Number.MIN_VALUE for minval/maxval: the value the user meant (0) that tfjs keeps.
        const v = intent.arg === 'minval' ? Number.MIN_VALUE : intent.arg === 'maxval' ? -Number.MIN_VALUE : undefined;
        if (v === undefined) break;
        layers[intent.layer] = { ...node, [slot]: { ...r, args: { ...r.args, [intent.arg]: v }, falsyArgs: r.falsyArgs.filter((f) => f.name !== intent.arg) } };
        break;
      }
    }
  }
  return { ...model, layers };
}

/** The model with LSUV's per-layer standard deviations as explicit normal initializers. */
export function withLsuv(model: Model, stds: readonly LsuvLayerRequest[]): Model {
  const intents: FixIntent[] = stds.map((s) => {
    const { to, args } = normalInitializer(model.framework, s.std);
    return { kind: 'setInitializer', layer: s.layer, slot: s.slot, to, args: { ...args, stddev: s.std } };
  });
  return applyIntents(model, intents);
}

/** The model for an alternative. `suggestions` are the intents of the engine's fixes; `lsuv` the LSUV result. */
export function alternativeModel(
  model: Model,
  id: AlternativeId,
  extra: { suggestions?: readonly FixIntent[]; lsuv?: readonly LsuvLayerRequest[] } = {},
): Model | undefined {
  switch (id) {
    case 'current':
      return model;
    case 'suggested':
      return extra.suggestions && extra.suggestions.length > 0 ? applyIntents(model, extra.suggestions) : undefined;
    case 'glorot':
      return scaled(model, 'glorot');
    case 'he':
      return scaled(model, 'he');
    case 'lecun':
      return scaled(model, 'lecun');
    case 'normal-0.01':
      return fixedNormal(model, 0.01);
    case 'normal-1':
      return fixedNormal(model, 1);
    case 'lsuv':
      return extra.lsuv && extra.lsuv.length > 0 ? withLsuv(model, extra.lsuv) : undefined;
  }
}

/** Whether the model has any kernel the alternatives would replace. */
export function hasKernels(model: Model): boolean {
  return model.layers.some((l) => kernelSlots(l).length > 0);
}
