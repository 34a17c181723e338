/**
 * Which of the engine's fixes go where: every fix is a quick fix on its own diagnostic; "fix all" (the
 * `source.fixAll.initlens` code action, on save or on demand) applies only the fixes the engine marks `safe`,
 * plus initializer swaps when the user opts in (`initlens.fixAll.includeInitializerSwaps`), Ruff's model of safe and
 * unsafe fixes. Edits that would overlap are dropped (the later fix waits for the next round), and the same edit
 * reached from several findings (a shared initializer variable) is applied once.
 *
 * Pure: no vscode import.
 */
import type { Finding, Fix, TextEdit } from '../../core/findings';
import { mergeEdits } from '../../engine/edits';

const hasEdits = (fix: Fix): boolean => !!fix.edits && fix.edits.length > 0;

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The one fix of the finding: VS Code applies it with the "auto fix" keybinding. */
  isPreferred: boolean;
  safe: boolean;
}

export function quickFixesOf(finding: Finding): QuickFix[] {
  const fixes = finding.fixes.filter(hasEdits);
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

/** The first applicable fix of each finding, in text order, merged without conflicts (src/engine/edits.ts). */
export function fixAllPlan(findings: readonly Finding[], options: FixAllOptions): FixAllPlan {
  let skippedUnsafe = 0;
  const chosen: Fix[] = [];
  for (const f of findings) {
    if (options.ruleId !== undefined && f.ruleId !== options.ruleId) continue;
    const fix = f.fixes.find((x) => hasEdits(x) && (x.safe || options.includeUnsafe));
    if (fix) chosen.push(fix);
    else if (f.fixes.some((x) => hasEdits(x) && !x.safe)) skippedUnsafe++;
  }
  const merged = mergeEdits(chosen.map((fix) => fix.edits!));
  return { edits: merged.edits, applied: merged.applied, skippedUnsafe, skippedConflicts: merged.conflicts };
}

/** Fixable findings of one rule in the file (for "Fix all <rule> problems", shown when there are two or more). */
export function fixableCount(findings: readonly Finding[], ruleId: string): number {
  return findings.filter((f) => f.ruleId === ruleId && f.fixes.some(hasEdits)).length;
}
