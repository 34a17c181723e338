/**
 * The Python analyzer's entry: parse with @lezer/python (syntax.ts), run the interpreter (interp.ts), build the
 * model descriptions (build.ts). The analysis behind each returned model is kept for the fixer.
 */
import type { AnalysisResult, Model } from '../../core/model';
import { type InternalModel, buildModels } from './build';
import { Interp } from './interp';
import { parsePython, syntaxErrors } from './syntax';
import type { Tree } from '@lezer/common';

export interface Internal {
  text: string;
  tree: Tree;
  interp: Interp;
  result: AnalysisResult;
  models: InternalModel[];
}

const INTERNAL = new WeakMap<Model, Internal>();

export function internalFor(model: Model): Internal | undefined {
  return INTERNAL.get(model);
}

/** A cheap pre-check: does this file import PyTorch, TensorFlow or Keras? (Generous; the analysis decides.) */
export function looksLikePython(text: string): boolean {
  return /^[ \t]*(?:import|from)[ \t]+(?:torch|tensorflow|keras|tf_keras)\b/m.test(text);
}

export function analyzeInternal(text: string, fileName: string): Internal {
  const tree = parsePython(text, fileName);
  const problems: AnalysisResult['problems'] = [];
  const errs = syntaxErrors(tree, 10, text);
  if (errs.count) {
    const first = errs.spans[0];
    problems.push({
      message: `Syntax error${errs.count > 1 ? `s (${errs.count})` : ''}: the analysis continues around ${errs.count > 1 ? 'them' : 'it'}.`,
      span: first,
    });
  }
  const interp = new Interp(text, tree);
  interp.run();
  const models = buildModels(interp);
  problems.push(...interp.problems);
  const result: AnalysisResult = { models: models.map((m) => m.model), problems };
  const internal: Internal = { text, tree, interp, result, models };
  for (const m of models) INTERNAL.set(m.model, internal);
  return internal;
}

/** Describes every PyTorch and Keras model built in `text`. Never throws: a failure becomes a `problems` entry. */
export function analyzePython(text: string, fileName: string): AnalysisResult {
  try {
    if (!looksLikePython(text)) return { models: [], problems: [] };
    return analyzeInternal(text, fileName).result;
  } catch (e) {
    const what = e instanceof RangeError ? 'the code nests too deeply' : e instanceof Error ? e.message : String(e);
    return { models: [], problems: [{ message: `The Python analysis failed (${what}).` }] };
  }
}
