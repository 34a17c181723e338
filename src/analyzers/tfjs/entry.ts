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
  try {
    if (!looksLikeTfjs(text)) return { models: [], problems: [] };
    const internal = analyzeInternal(text, fileName);
    for (const m of internal.result.models) INTERNAL.set(m, internal);
    return internal.result;
  } catch (e) {
    const what = e instanceof RangeError ? 'the code nests too deeply' : e instanceof Error ? e.message : String(e);
    return { models: [], problems: [{ message: `The TensorFlow.js analysis failed (${what}).` }] };
  }
}
