/**
 * The fixes rules offer, built one way. An initializer swap changes the model (unsafe: a quick fix, never applied
 * in bulk unless the user opts in); making a falsy tfjs argument mean what it says keeps the model the code
 * describes (safe). Each rule's metadata declares which of these it offers (`RuleMeta.fix`), and the tests hold
 * every rule's fixes to that declaration.
 */
import type { Fix } from '../findings';
import { FRAMEWORKS } from '../frameworks';
import type { WeightSlot } from '../initializers';
import type { Framework, InitializerArgs } from '../model';

/** A rule's fix before the analyzer turns its intent into text edits. */
export type RuleFix = Omit<Fix, 'edits'>;

/** Sets the initializer of a layer's weight slot (replacing it, or inserting it where the default was implicit). */
export function setInitializerFix(title: string, layer: number, slot: WeightSlot, to: string, args: InitializerArgs | undefined): RuleFix {
  return { title, intent: { kind: 'setInitializer', layer, slot, to, args }, safe: false };
}

const SLOT_WORDS: Partial<Record<WeightSlot, string>> = { recurrent: 'recurrent kernel' };

/** "Use heUniform for the kernel of dense (layer 3)": swap to a recommended initializer. */
export function swapInitializerFix(layer: number, slot: WeightSlot, rec: { id: string; args?: InitializerArgs }, label: string): RuleFix {
  return setInitializerFix(`Use ${rec.id} for the ${SLOT_WORDS[slot] ?? slot} of ${label}`, layer, slot, rec.id, rec.args);
}

/**
 * Turns an LSTM's forget-gate bias of 1 on. The title names what the fixer writes in that framework (the registry's
 * spelling: tfjs `unitForgetBias: true`, Keras `unit_forget_bias=True`, PyTorch `bias_ih_l{k}[H:2H].fill_(1.0)`).
 */
export function forgetBiasFix(layer: number, label: string, framework: Framework): RuleFix {
  const title = `${FRAMEWORKS[framework].facts.lstmForgetBiasFix} for ${label}`;
  return { title, intent: { kind: 'setLayerOption', layer, option: 'unitForgetBias', value: true }, safe: false };
}

/** Rewrites a tfjs argument of 0 that `||` would replace by its default, so that it means 0. */
export function falsyArgFix(title: string, layer: number, slot: WeightSlot, arg: keyof InitializerArgs): RuleFix {
  return { title, intent: { kind: 'fixFalsyArg', layer, slot, arg }, safe: true };
}
