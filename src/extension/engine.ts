/**
 * What the extension takes from the engine, loaded lazily (`import('./engine')`): the Node build keeps it in its
 * own file (dist/engine.js, with TypeScript's parser inside, ~4 MB) so that activation does not wait for it; the
 * web build bundles it in.
 */
import type { FixIntent, TextEdit } from '../core/findings';
import type { Model } from '../core/model';
import { ANALYZERS, analyzerFor } from '../engine/languages';

export { checkText, createCheckSession, isCheckable, RULES } from '../engine/check';

/** Id of the analyzer that handles a file name ('tfjs'), or undefined. */
export function analyzerIdFor(fileName: string): string | undefined {
  return analyzerFor(fileName)?.id;
}

/** The engine's cheap test that a file may hold a model (it imports or mentions the framework). */
export function mayContainModels(text: string, fileName: string): boolean {
  const analyzer = analyzerFor(fileName);
  return !!analyzer && analyzer.mayContainModels(text);
}

export const ANALYZER_INFO: readonly { id: string; extensions: readonly string[] }[] = ANALYZERS.map((a) => ({
  id: a.id,
  extensions: [...a.extensions],
}));

/** Every file extension some analyzer claims. */
export const CLAIMED_EXTENSIONS: readonly string[] = ANALYZER_INFO.flatMap((a) => a.extensions);

/** Text edits for a fix intent on a model of the file (the preview's LSUV initializers); undefined when none. */
export function fixEdits(text: string, fileName: string, model: Model, intent: FixIntent): TextEdit[] | undefined {
  try {
    return analyzerFor(fileName)?.fixEdits(text, model, intent);
  } catch {
    return undefined;
  }
}
