/**
 * The Python analyzer's entry: parse with @lezer/python (syntax.ts), run the interpreter (interpreter.ts), build the
 * model descriptions (build.ts). The analysis behind each returned model is kept for the fixer.
 */
import type { AnalysisResult, Model } from '../../core/model';
import { type InternalModel, buildModels } from './build';
import { Interp } from './interpreter';
import { type Parsed, hasErrorNodes, parsePython, syntaxErrors } from './syntax';
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

/**
 * Parses and analyzes `text`. With `previous` (the last parsed version of the same document) the parse is
 * incremental; the result is the same.
 */
export function analyzeInternal(text: string, previous?: Parsed): Internal {
  return analyzeTree(text, parsePython(text, previous));
}

function analyzeTree(text: string, tree: Tree): Internal {
  const problems: AnalysisResult['problems'] = [];
  // (hasErrorNodes is remembered per tree: after an incremental re-parse it is known, and a clean tree is not walked again.)
  const errs = hasErrorNodes(tree) ? syntaxErrors(tree, Infinity, text) : { spans: [], count: 0 };
  if (errs.count) {
    const first = errs.spans[0];
    problems.push({
      message: `Syntax error${errs.count > 1 ? `s (${errs.count})` : ''}: the code around ${errs.count > 1 ? 'them' : 'it'} is not checked until it parses.`,
      span: first,
    });
  }
  const interp = new Interp(text, tree);
  interp.run();
  const models = buildModels(interp);
  problems.push(...interp.problems);
  const result: AnalysisResult = { models: models.map((m) => m.model), problems, syntaxErrors: errs.spans };
  const internal: Internal = { text, tree, interp, result, models };
  for (const m of models) INTERNAL.set(m.model, internal);
  return internal;
}

/**
 * Describes every PyTorch and Keras model built in `text`. Never throws: a failure becomes a `problems` entry.
 * Stateless (a full parse each time); a document edited over time is re-analyzed faster by a session
 * (incremental.ts), with the same result.
 */
export function analyzePython(text: string, fileName: string): AnalysisResult {
  void fileName;
  return analyzeWith(text, undefined).result;
}

/** The analysis of `text` (incremental from `previous` when given), and what it parsed, when it parsed. */
export function analyzeWith(text: string, previous: Parsed | undefined): { result: AnalysisResult; parsed?: Parsed } {
  let parsed: Parsed | undefined;
  try {
    if (!looksLikePython(text)) return { result: { models: [], problems: [] } };
    parsed = { text, tree: parsePython(text, previous) };
    return { result: analyzeTree(text, parsed.tree).result, parsed };
  } catch (e) {
    const what = e instanceof RangeError ? 'the code nests too deeply' : e instanceof Error ? e.message : String(e);
    return { result: { models: [], problems: [{ message: `The Python analysis failed (${what}).` }] }, parsed };
  }
}
