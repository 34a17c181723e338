/** The TensorFlow.js analyzer: model descriptions from tfjs source, and text edits for fix intents. */
export { analyzeTfjs } from './entry';
export { looksLikeTfjs } from './analyze';
export { tfjsFixEdits } from './fix';
