/**
 * Several fixes' edits made into one edit of the text, the same way wherever that is done (the extension's "fix
 * all", the preview's "apply suggested" and its LSUV initializers): an edit reached from several fixes (a shared
 * initializer variable) is made once, a fix whose edits overlap an earlier fix's is left out (it waits for the next
 * round), and the edits come out sorted.
 */
import { editsOverlap, sameEdit, type TextEdit } from '../core/findings';

export interface EditPlan {
  edits: TextEdit[];
  /** Groups (fixes) applied, those whose edits were all planned already included. */
  applied: number;
  /** Groups left out because their edits overlap an earlier group's. */
  conflicts: number;
}

/** Merges groups of edits (one group per fix), in order: duplicates once, overlapping groups skipped; sorted. */
export function mergeEdits(groups: readonly (readonly TextEdit[])[]): EditPlan {
  const plan: EditPlan = { edits: [], applied: 0, conflicts: 0 };
  for (const g of groups) {
    const fresh = g.filter((e) => !plan.edits.some((p) => sameEdit(p, e)));
    if (fresh.some((e) => plan.edits.some((p) => editsOverlap(p, e)))) {
      plan.conflicts++;
      continue;
    }
    plan.edits.push(...fresh);
    plan.applied++;
  }
  plan.edits.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return plan;
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end)) {
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return out;
}
