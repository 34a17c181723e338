/**
 * The Python analyzer: PyTorch (torch.nn) and Keras (tf.keras 2, Keras 3) models in .py files.
 *
 * - `analyzePython(text, fileName)`: every model the file builds (nn.Module subclasses traced through
 *   forward(), nn.Sequential, Keras Sequential / functional / subclassed models) as the framework-neutral
 *   description of core/model.ts. Never throws; caps are in LIMITS.
 * - `pythonFixEdits(text, model, intent)`: text edits for a fix intent; undefined when no clean edit exists.
 * - `looksLikePython(text)`: a cheap pre-check (imports torch, tensorflow or keras).
 * - `createPythonSession()`: `{ analyze(text, fileName) }` for one document edited over time; same results as
 *   `analyzePython`, with an incremental parse from the previous call's tree (incremental.ts).
 */
export { analyzePython, looksLikePython } from './analyze';
export { createPythonSession, type PythonSession } from './incremental';
export { pythonFixEdits } from './fix';
export { LIMITS } from './interpreter';
