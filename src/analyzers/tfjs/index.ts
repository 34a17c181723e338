/**
 * The TensorFlow.js analyzer.
 *
 * - `analyzeTfjs(text, fileName)`: every model the file builds (Sequential, functional, core-API matMul
 *   chains) as the framework-neutral description of core/model.ts. Never throws; caps are in LIMITS.
 * - `createTfjsSession()`: the same analysis for a document edited over time, re-parsing incrementally.
 * - `tfjsFixEdits(text, model, intent)`: text edits for a fix intent, keeping the user's form and style;
 *   undefined when no safe edit exists (the caller then edits per layer or offers no fix).
 * - `looksLikeTfjs(text)`: a cheap, generous pre-check (imports `@tensorflow/tfjs*` or mentions `tf`).
 */
export { analyzeTfjs, createTfjsSession } from './entry';
export { looksLikeTfjs } from './analyze';
export { tfjsFixEdits } from './fix';
export { LIMITS } from './interpreter';
