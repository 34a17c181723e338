/**
 * Which fixes the preview may write, and how a request from the page becomes text edits. The page names fixes
 * only by id; the host recomputes the file's report for the current text and looks the ids up there, so a page
 * can never apply an edit the analyzer did not offer. LSUV standard deviations become a setInitializer intent
 * built here and turned into edits by the analyzer's own fixer.
 *
 * Pure: no vscode import.
 */
import { FRAMEWORKS } from '../../core/frameworks';
import type { Finding, Fix, FixIntent } from '../../core/findings';
import type { InitializerArgs, LayerKind, Model } from '../../core/model';
import type { FileReport } from '../../core/report';
import { mergeEdits, type EditPlan } from '../../engine/edits';
import type { LsuvLayerRequest, PreviewFinding, PreviewSuggestion } from './messages';

/** A stable id for a fix: the same finding and intent get the same id after the file is re-analyzed. */
export function fixIdOf(finding: Pick<Finding, 'ruleId' | 'layer'>, intent: FixIntent): string {
  const layer = finding.layer ?? intent.layer;
  let what: string;
  switch (intent.kind) {
    case 'setInitializer':
      what = `set:${intent.slot}:${intent.to}`;
      break;
    case 'setLayerOption':
      what = `opt:${intent.option}=${intent.value}`;
      break;
    case 'fixFalsyArg':
      what = `falsy:${intent.slot}:${intent.arg}`;
      break;
  }
  return `${finding.ruleId}|${layer}|${what}`.replace(/[^A-Za-z0-9_.:|=-]/g, '_');
}

/** The first fix with edits of each finding (the quick fix VS Code would prefer). */
function offeredFix(f: Finding): Fix | undefined {
  return f.fixes.find((x) => x.edits && x.edits.length > 0);
}

/** Findings of one model of a report. */
export function findingsOf(report: FileReport, model: Model): Finding[] {
  return report.findings.filter((f) => f.model === model.name);
}

/** The fixes the preview offers for a model, one per finding, each with its id, and the findings as text. */
export function suggestionsFor(report: FileReport, model: Model): { suggestions: PreviewSuggestion[]; findings: PreviewFinding[] } {
  const suggestions: PreviewSuggestion[] = [];
  const seen = new Set<string>();
  const findings: PreviewFinding[] = [];
  for (const f of findingsOf(report, model)) {
    findings.push({ ruleId: f.ruleId, severity: f.severity, message: f.message, layer: f.layer });
    const fix = offeredFix(f);
    if (!fix) continue;
    const fixId = fixIdOf(f, fix.intent);
    if (seen.has(fixId)) continue;
    seen.add(fixId);
    suggestions.push({ fixId, title: fix.title, ruleId: f.ruleId, layer: f.layer ?? fix.intent.layer, intent: fix.intent });
  }
  return { suggestions, findings };
}


export type FixResolution =
  | { ok: true; plan: EditPlan; titles: string[]; missing: string[] }
  | { ok: false; message: string };

/**
 * The edits for the fix ids the page asked for, taken from the report of the current text. Ids that the
 * analyzer does not offer (any more) are listed as missing and never applied.
 */
export function resolveFixIds(report: FileReport, model: Model, fixIds: readonly string[]): FixResolution {
  const offered = new Map<string, Fix>();
  for (const f of findingsOf(report, model)) {
    const fix = offeredFix(f);
    if (fix) offered.set(fixIdOf(f, fix.intent), fix);
  }
  const wanted = [...new Set(fixIds)];
  const missing = wanted.filter((id) => !offered.has(id));
  const fixes = wanted.map((id) => offered.get(id)).filter((f): f is Fix => !!f);
  if (fixes.length === 0) return { ok: false, message: 'none of these fixes is offered for the current text of the file' };
  return { ok: true, plan: mergeEdits(fixes.map((f) => f.edits!)), titles: fixes.map((f) => f.title), missing };
}

/**
 * Layers whose kernel LSUV rescales (linear maps of their input). Separable convolutions are left out: tfjs draws
 * their pointwise kernel with the depthwise initializer, so an initializer written for it would not take effect.
 */
export const LSUV_KINDS: ReadonlySet<LayerKind> = new Set<LayerKind>(['dense', 'conv', 'convTranspose', 'depthwiseConv']);

/** The plain normal initializer of the framework (the registry's `plainNormal`) and its arguments for a standard deviation. */
export function normalInitializer(framework: Model['framework'], std: number): { to: string; args: InitializerArgs } {
  return { to: FRAMEWORKS[framework].plainNormal, args: { mean: 0, stddev: roundStd(std) } };
}

/** Four significant digits: what a person would write, and within 0.05% of the computed value. */
export function roundStd(std: number): number {
  if (!(std > 0) || !Number.isFinite(std)) return std;
  return Number(std.toPrecision(4));
}

export type LsuvIntents = { ok: true; intents: FixIntent[] } | { ok: false; message: string };

/** Checks an LSUV request against the model and turns it into setInitializer intents. */
export function lsuvIntents(model: Model, layers: readonly LsuvLayerRequest[]): LsuvIntents {
  const intents: FixIntent[] = [];
  const seen = new Set<string>();
  for (const l of layers) {
    const node = model.layers[l.layer];
    if (!node) return { ok: false, message: `layer ${l.layer} is not in model '${model.name}'` };
    if (!LSUV_KINDS.has(node.kind)) return { ok: false, message: `layer ${l.layer} (${node.op}) is not a layer LSUV rescales` };
    if (l.slot !== 'kernel') return { ok: false, message: `layer ${l.layer}: LSUV rescales kernels only` };
    const key = `${l.layer}:${l.slot}`;
    if (seen.has(key)) return { ok: false, message: `layer ${l.layer} is listed twice` };
    seen.add(key);
    const { to, args } = normalInitializer(model.framework, l.std);
    intents.push({ kind: 'setInitializer', layer: l.layer, slot: l.slot, to, args });
  }
  return { ok: true, intents };
}

/** Finds the model again after an edit: by name (the index may have moved), else by index. */
export function findModel(report: FileReport, name: string, index: number): number | undefined {
  const byName = report.models.findIndex((m) => m.model.name === name);
  if (byName >= 0) return byName;
  if (index >= 0 && index < report.models.length) return index;
  return report.models.length > 0 ? 0 : undefined;
}
