/**
 * Which of the engine's fixes go where: every fix is a quick fix on its own diagnostic; "fix all" (the
 * `source.fixAll.initlens` code action, on save or on demand) applies only the fixes the engine marks `safe`,
 * plus initializer swaps when the user opts in (`initlens.fixAll.includeInitializerSwaps`), Ruff's model of safe and
 * unsafe fixes. Edits that would overlap are dropped (the later fix waits for the next round), and the same edit
 * reached from several findings (a shared initializer variable) is applied once.
 *
 * Pure: no vscode import.
 */
import { editsOverlap as overlaps, sameEdit } from '../../core/findings';
import type { Finding, Fix, TextEdit } from '../../core/findings';

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The one fix of the finding: VS Code applies it with the "auto fix" keybinding. */
  isPreferred: boolean;
  safe: boolean;
}

export function quickFixesOf(finding: Finding): QuickFix[] {
  const fixes = finding.fixes.filter((f) => f.edits && f.edits.length > 0);
  return fixes.map((fix) => ({ title: fix.title, edits: fix.edits!, isPreferred: fixes.length === 1, safe: fix.safe }));
}

export interface FixAllOptions {
  /** Apply unsafe fixes (initializer swaps) too. */
  includeUnsafe: boolean;
  /** Only this rule's findings. */
  ruleId?: string;
}

export interface FixAllPlan {
  edits: TextEdit[];
  /** Fixes applied. */
  applied: number;
  /** Fixes left out because they are unsafe and not opted in. */
  skippedUnsafe: number;
  /** Fixes left out because their edits overlap an earlier fix's. */
  skippedConflicts: number;
}


/** The first applicable fix of each finding, in text order, without conflicts. */
export function fixAllPlan(findings: readonly Finding[], options: FixAllOptions): FixAllPlan {
  const plan: FixAllPlan = { edits: [], applied: 0, skippedUnsafe: 0, skippedConflicts: 0 };
  const candidates = findings
    .filter((f) => options.ruleId === undefined || f.ruleId === options.ruleId)
    .map((f) => f.fixes.find((x) => x.edits && x.edits.length > 0 && (x.safe || options.includeUnsafe)) ?? unsafeOnly(f, plan))
    .filter((x): x is Fix => x !== undefined);
  for (const fix of candidates) {
    const edits = fix.edits!.filter((e) => !plan.edits.some((p) => sameEdit(p, e)));
    if (edits.length === 0) {
      plan.applied++; // the same edit already planned for another finding
      continue;
    }
    if (edits.some((e) => plan.edits.some((p) => overlaps(p, e)))) {
      plan.skippedConflicts++;
      continue;
    }
    plan.edits.push(...edits);
    plan.applied++;
  }
  plan.edits.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return plan;
}

function unsafeOnly(finding: Finding, plan: FixAllPlan): undefined {
  if (finding.fixes.some((x) => x.edits && x.edits.length > 0 && !x.safe)) plan.skippedUnsafe++;
  return undefined;
}

/** Applies non-overlapping edits to a text (tests, and the CLI-like preview of a fix). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end)) {
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return out;
}

/** Fixable findings of one rule in the file (for "Fix all <rule> problems", shown when there are two or more). */
export function fixableCount(findings: readonly Finding[], ruleId: string): number {
  return findings.filter((f) => f.ruleId === ruleId && f.fixes.some((x) => x.edits && x.edits.length > 0)).length;
}
