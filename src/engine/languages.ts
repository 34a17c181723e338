/** The analyzers the engine knows, by file extension. Each turns source text into model descriptions and fix intents into edits. */
import type { FixIntent, TextEdit } from '../core/findings';
import type { AnalysisResult, Model } from '../core/model';
import { analyzeTfjs, createTfjsSession, looksLikeTfjs, tfjsFixEdits } from '../analyzers/tfjs';
import { analyzePython, createPythonSession, looksLikePython, pythonFixEdits } from '../analyzers/python';

export interface LanguageAnalyzer {
  id: string;
  extensions: readonly string[];
  /** A cheap test that the file may hold a model (imports or mentions the framework). */
  mayContainModels(text: string): boolean;
  analyze(text: string, fileName: string): AnalysisResult;
  fixEdits(text: string, model: Model, intent: FixIntent): TextEdit[] | undefined;
  /** An analyzer for one document edited over time (incremental parsing); same results as `analyze`. */
  createSession?(): AnalyzerSession;
}

export interface AnalyzerSession {
  analyze(text: string, fileName: string): AnalysisResult;
}

export const TFJS_ANALYZER: LanguageAnalyzer = {
  id: 'tfjs',
  extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
  mayContainModels: looksLikeTfjs,
  analyze: analyzeTfjs,
  fixEdits: tfjsFixEdits,
  createSession: createTfjsSession,
};

/**
 * PyTorch and Keras in Python, on @lezer/python: pure JavaScript (runs in the CLI, the extension host and the
 * web extension alike), error-tolerant (half-typed code still gives a tree) and incremental (a re-check after a
 * keystroke re-parses only around the edit). See src/analyzers/python/syntax.ts.
 */
export const PYTHON_ANALYZER: LanguageAnalyzer = {
  id: 'python',
  extensions: ['.py'],
  mayContainModels: looksLikePython,
  analyze: analyzePython,
  fixEdits: pythonFixEdits,
  createSession: createPythonSession,
};

export const ANALYZERS: readonly LanguageAnalyzer[] = [TFJS_ANALYZER, PYTHON_ANALYZER];

export function analyzerFor(fileName: string): LanguageAnalyzer | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.d.ts')) return undefined;
  return ANALYZERS.find((a) => a.extensions.some((e) => lower.endsWith(e)));
}
