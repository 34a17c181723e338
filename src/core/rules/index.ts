/** The rule catalogue, in documentation order. */
import { fixedScale } from './fixed-scale';
import { lstmForgetBias, recurrentNotOrthogonal } from './recurrent';
import { reluNeedsHe } from './relu-needs-he';
import { saturatingNeedsGlorot } from './saturating-needs-glorot';
import { seluNeedsLecun } from './selu-needs-lecun';
import { explodingSignal, vanishingSignal } from './signal';
import { symmetricInit } from './symmetric-init';
import { tfjsFalsyArg, truncatedNormalShortfall } from './tfjs-quirks';
import type { Rule, RuleMeta } from './types';

export const RULE_LIST: readonly Rule[] = [
  reluNeedsHe,
  saturatingNeedsGlorot,
  seluNeedsLecun,
  symmetricInit,
  fixedScale,
  vanishingSignal,
  explodingSignal,
  recurrentNotOrthogonal,
  lstmForgetBias,
  truncatedNormalShortfall,
  tfjsFalsyArg,
];

export const RULES: readonly RuleMeta[] = RULE_LIST.map((r) => r.meta);

export function ruleById(id: string): Rule | undefined {
  return RULE_LIST.find((r) => r.meta.id === id);
}

export * from './types';
