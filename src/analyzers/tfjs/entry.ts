import type { AnalysisResult, Model } from '../../core/model';
import { type Internal, analyzeInternal, looksLikeTfjs } from './analyze';

/** The analysis behind each returned model, so that the fixer need not parse the file again. */
const INTERNAL = new WeakMap<Model, Internal>();

export function internalFor(model: Model): Internal | undefined {
  return INTERNAL.get(model);
}

/**
 * Describes every TensorFlow.js model built in `text`. Never throws: a failure becomes a `problems` entry.
 */
export function analyzeTfjs(text: string, fileName: string): AnalysisResult {
  return analyzeWith(text, fileName, undefined).result;
}

function analyzeWith(text: string, fileName: string, previous: Internal | undefined): { result: AnalysisResult; internal?: Internal } {
  try {
    if (!looksLikeTfjs(text)) return { result: { models: [], problems: [] } };
    const internal = analyzeInternal(text, fileName, previous);
    for (const m of internal.result.models) INTERNAL.set(m, internal);
    return { result: internal.result, internal };
  } catch (e) {
    const what = e instanceof RangeError ? 'the code nests too deeply' : e instanceof Error ? e.message : String(e);
    return { result: { models: [], problems: [{ message: `The TensorFlow.js analysis failed (${what}).` }] } };
  }
}

/**
 * An analyzer for one document that is edited over time (the editor's re-check on each keystroke): each call
 * re-parses incrementally from the previous call's syntax tree (TypeScript's `updateSourceFile`, as tsserver
 * does), then analyzes as `analyzeTfjs` does, with the same result.
 */
export function createTfjsSession(): { analyze(text: string, fileName: string): AnalysisResult } {
  let previous: Internal | undefined;
  return {
    analyze(text, fileName) {
      const { result, internal } = analyzeWith(text, fileName, previous);
      previous = internal;
      return result;
    },
  };
}
