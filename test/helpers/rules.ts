/** One rule run on a model description (no parser), with the engine's default thresholds unless given. */
import assert from 'node:assert/strict';
import type { Model } from '../../src/core/model';
import { propagate } from '../../src/core/propagate';
import { DEFAULT_THRESHOLDS, ruleById, type RuleFinding, type SignalThresholds } from '../../src/core/rules';

export function runRule(id: string, m: Model, thresholds: SignalThresholds = DEFAULT_THRESHOLDS): RuleFinding[] {
  const rule = ruleById(id);
  assert.ok(rule, `rule ${id} exists`);
  return rule.check({ model: m, prediction: propagate(m), thresholds });
}
