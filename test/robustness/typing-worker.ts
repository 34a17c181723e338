/**
 * One file's typing simulation in a worker thread, for `npm run fuzz` (typing.test.ts): a check that never returns
 * (an endless loop in a parser) cannot be interrupted on its own thread, but a worker can be terminated, and the
 * input it was checking is the last one it posted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { typeAndMutate } from './shared';

const { name, text, mutants } = workerData as { name: string; text: string; mutants: number };
const result = typeAndMutate(name, text, true, mutants, (input, what) => parentPort!.postMessage({ kind: 'input', input, what }));
parentPort!.postMessage({ kind: 'done', result });
