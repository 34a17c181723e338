/**
 * The extension's settings as one typed object, read in one place (`readSettings`) from whatever the host gives
 * (VS Code's `WorkspaceConfiguration.get`, or a plain object in tests), validated, with a note for every value
 * that was ignored. `checkOptionsOf` turns them into the engine's `CheckOptions`.
 *
 * Pure: no vscode import.
 */
import type { SeveritySetting } from '../../core/findings';
import { DEFAULT_THRESHOLDS, RULES } from '../../core/rules';
import type { CheckOptions } from '../../engine/check';

export type RunMode = 'onType' | 'onSave';
export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface Settings {
  enable: boolean;
  run: RunMode;
  /** Per-rule severity overrides, valid rule ids and severities only. */
  rules: Record<string, SeveritySetting>;
  /** Analyzer ids to run; undefined = every analyzer. */
  frameworks: string[] | undefined;
  input: { mean: number; std: number };
  thresholds: { vanishing: number; exploding: number };
  fixAll: { includeInitializerSwaps: boolean };
  timeBudget: { warn: number; error: number };
  trace: TraceLevel;
  codeLens: boolean;
  hover: boolean;
  codeAction: { disableRuleComment: boolean; showDocumentation: boolean };
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  run: 'onType',
  rules: {},
  frameworks: undefined,
  input: { mean: 0, std: 1 },
  thresholds: { ...DEFAULT_THRESHOLDS },
  fixAll: { includeInitializerSwaps: false },
  timeBudget: { warn: 4000, error: 8000 },
  trace: 'off',
  codeLens: true,
  hover: true,
  codeAction: { disableRuleComment: true, showDocumentation: true },
};

/** Spellings people bring from ESLint, Pylance and the Problems panel. */
const SEVERITY_ALIASES: Record<string, SeveritySetting> = {
  off: 'off',
  none: 'off',
  info: 'info',
  information: 'info',
  hint: 'info',
  warning: 'warning',
  warn: 'warning',
  error: 'error',
};

/** Reads one setting by its key below `initlens.` (e.g. `fixAll.includeInitializerSwaps`). */
export type SettingGetter = (key: string) => unknown;

export interface ReadResult {
  settings: Settings;
  /** Values that were ignored, said once in the log ("initlens.rules: unknown rule 'foo'"). */
  warnings: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Sets each key of `into` that `raw` gives a number above 0 for; a warning for any other value given. */
function readPositive<K extends string>(raw: Record<string, unknown>, into: Record<K, number>, key: string, what: string, warnings: string[]): void {
  for (const k of Object.keys(into) as K[]) {
    const v = raw[k];
    if (v === undefined) continue;
    if (isFiniteNumber(v) && v > 0) into[k] = v;
    else warnings.push(`${key}.${k}: expected ${what} above 0, got ${JSON.stringify(v)}`);
  }
}

export function readSettings(get: SettingGetter, knownFrameworks: readonly string[] = ['tfjs']): ReadResult {
  const warnings: string[] = [];
  const d = DEFAULT_SETTINGS;
  const bool = (key: string, fallback: boolean): boolean => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    warnings.push(`initlens.${key}: expected true or false, got ${JSON.stringify(v)}`);
    return fallback;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    warnings.push(`initlens.${key}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return fallback;
  };

  // initlens.rules
  const rules: Record<string, SeveritySetting> = {};
  const rawRules = get('rules');
  const ruleIds = new Set(RULES.map((r) => r.id));
  if (isObject(rawRules)) {
    for (const [id, value] of Object.entries(rawRules)) {
      if (!ruleIds.has(id)) {
        warnings.push(`initlens.rules: unknown rule '${id}' (known: ${[...ruleIds].join(', ')})`);
        continue;
      }
      const sev = typeof value === 'string' ? SEVERITY_ALIASES[value.toLowerCase()] : undefined;
      if (!sev) {
        warnings.push(`initlens.rules.${id}: expected off, info, warning or error, got ${JSON.stringify(value)}`);
        continue;
      }
      rules[id] = sev;
    }
  } else if (rawRules !== undefined && rawRules !== null) {
    warnings.push(`initlens.rules: expected an object of rule id → severity, got ${JSON.stringify(rawRules)}`);
  }

  // initlens.frameworks
  let frameworks: string[] | undefined;
  const rawFrameworks = get('frameworks');
  if (Array.isArray(rawFrameworks)) {
    frameworks = [];
    for (const f of rawFrameworks) {
      if (typeof f === 'string' && knownFrameworks.includes(f)) frameworks.push(f);
      else warnings.push(`initlens.frameworks: unknown analyzer ${JSON.stringify(f)} (known: ${knownFrameworks.join(', ')})`);
    }
  } else if (rawFrameworks !== undefined && rawFrameworks !== null) {
    warnings.push(`initlens.frameworks: expected an array of analyzer ids, got ${JSON.stringify(rawFrameworks)}`);
  }

  // initlens.input
  const input = { ...d.input };
  const rawInput = get('input');
  if (isObject(rawInput)) {
    if (rawInput.mean !== undefined) {
      if (isFiniteNumber(rawInput.mean)) input.mean = rawInput.mean;
      else warnings.push(`initlens.input.mean: expected a number, got ${JSON.stringify(rawInput.mean)}`);
    }
    if (rawInput.std !== undefined) {
      if (isFiniteNumber(rawInput.std) && rawInput.std > 0) input.std = rawInput.std;
      else warnings.push(`initlens.input.std: expected a number above 0, got ${JSON.stringify(rawInput.std)}`);
    }
  }

  // initlens.thresholds
  const thresholds = { ...d.thresholds };
  const rawThresholds = get('thresholds');
  if (isObject(rawThresholds)) {
    readPositive(rawThresholds, thresholds, 'initlens.thresholds', 'a number', warnings);
    if (thresholds.vanishing >= thresholds.exploding) {
      warnings.push(
        `initlens.thresholds: vanishing (${thresholds.vanishing}) must be below exploding (${thresholds.exploding}); using the defaults`,
      );
      thresholds.vanishing = d.thresholds.vanishing;
      thresholds.exploding = d.thresholds.exploding;
    }
  }

  // initlens.timeBudget.onValidation
  const timeBudget = { ...d.timeBudget };
  const rawBudget = get('timeBudget.onValidation');
  if (isObject(rawBudget)) {
    readPositive(rawBudget, timeBudget, 'initlens.timeBudget.onValidation', 'milliseconds', warnings);
    if (timeBudget.error < timeBudget.warn) timeBudget.error = timeBudget.warn;
  }

  const settings: Settings = {
    enable: bool('enable', d.enable),
    run: oneOf<RunMode>('run', ['onType', 'onSave'], d.run),
    rules,
    frameworks,
    input,
    thresholds,
    fixAll: { includeInitializerSwaps: bool('fixAll.includeInitializerSwaps', d.fixAll.includeInitializerSwaps) },
    timeBudget,
    trace: oneOf<TraceLevel>('trace', ['off', 'messages', 'verbose'], d.trace),
    codeLens: bool('codeLens.enable', d.codeLens),
    hover: bool('hover.enable', d.hover),
    codeAction: {
      disableRuleComment: bool('codeAction.disableRuleComment.enable', d.codeAction.disableRuleComment),
      showDocumentation: bool('codeAction.showDocumentation.enable', d.codeAction.showDocumentation),
    },
  };
  return { settings, warnings };
}

/** A getter over a plain settings object with dotted keys or nested objects (tests, the web build's defaults). */
export function getterOf(values: Record<string, unknown>): SettingGetter {
  return (key) => {
    if (key in values) return values[key];
    let cur: unknown = values;
    for (const part of key.split('.')) {
      if (!isObject(cur)) return undefined;
      cur = cur[part];
    }
    return cur;
  };
}

export function checkOptionsOf(settings: Settings): CheckOptions {
  const options: CheckOptions = {};
  if (Object.keys(settings.rules).length) options.rules = { ...settings.rules };
  if (settings.input.mean !== 0 || settings.input.std !== 1) options.input = { ...settings.input };
  const t = settings.thresholds;
  if (t.vanishing !== DEFAULT_THRESHOLDS.vanishing || t.exploding !== DEFAULT_THRESHOLDS.exploding) options.thresholds = { ...t };
  return options;
}

/** Whether the analyzer that handles a file runs under these settings. */
export function analyzerEnabled(settings: Settings, analyzerId: string | undefined): boolean {
  if (!analyzerId) return false;
  return settings.frameworks === undefined || settings.frameworks.includes(analyzerId);
}

/**
 * A stable key of everything that changes what a check gives, to tell whether a cached report is still good: whether
 * the document is checked at all (enable, frameworks) and the engine's options.
 */
export function optionsKey(settings: Settings): string {
  return JSON.stringify({ enable: settings.enable, frameworks: settings.frameworks ?? null, options: checkOptionsOf(settings) });
}
