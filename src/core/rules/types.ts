import type { Finding, Severity } from '../findings';
import type { Model } from '../model';
import type { Prediction } from '../report';

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  /** One line, shown in rule lists and SARIF shortDescription. */
  title: string;
  /** What it checks, in a sentence or two (SARIF fullDescription). */
  description: string;
  /** The rule's documentation page in Markdown: why it matters, how to fix, before/after. One source of truth. */
  docs: string;
  /** Whether the rule offers fixes. */
  fixable: boolean;
}

export interface SignalThresholds {
  /** Read-out second-moment ratio below which the signal has vanished (default 1e-2: std shrunk tenfold). */
  vanishing: number;
  /** Ratio above which it has exploded (default 1e2). */
  exploding: number;
}

export const DEFAULT_THRESHOLDS: SignalThresholds = { vanishing: 1e-2, exploding: 1e2 };

export interface RuleContext {
  model: Model;
  prediction: Prediction;
  thresholds: SignalThresholds;
}

/** A finding before severity overrides and fix edits: the rule states its severity for this case. */
export type RuleFinding = Omit<Finding, 'ruleId' | 'model'>;

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): RuleFinding[];
}
