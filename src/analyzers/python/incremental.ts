/**
 * The Python analyzer for one document edited over time (the editor's re-check on each keystroke).
 *
 * `createPythonSession()` gives an `analyze(text, fileName)` with the result `analyzePython` gives for the same
 * text, but each call re-parses incrementally from the previous call's syntax tree: lezer reuses every part of
 * the old tree outside the changed range (the common prefix and suffix of the old and new text), so a keystroke
 * in a 1,000-line file re-parses a few lines instead of the file. The interpretation and the model descriptions
 * are computed afresh (they depend on the whole file).
 *
 * Lezer trees are immutable, so the previous analysis (kept for fixes, see fix.ts) stays valid after a re-parse.
 */
import type { AnalysisResult } from '../../core/model';
import { analyzeWith } from './analyze';
import type { Parsed } from './syntax';

export interface PythonSession {
  /** Same result as `analyzePython(text, fileName)`; the parse is incremental from the previous call. */
  analyze(text: string, fileName: string): AnalysisResult;
}

export function createPythonSession(): PythonSession {
  // The last parsed version of the document. Any earlier text and tree is a valid base (the change is computed
  // from the texts), so a call that does not parse (no framework import) keeps it.
  let previous: Parsed | undefined;
  return {
    analyze(text: string, fileName: string): AnalysisResult {
      void fileName;
      const { result, parsed } = analyzeWith(text, previous);
      if (parsed) previous = parsed;
      return result;
    },
  };
}
