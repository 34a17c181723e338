/**
 * Which checker the extension uses.
 *
 * Node extension host (dist/extension.js): a worker thread (dist/check-worker.js, ./worker-checker.ts), so that
 * checking a large file never blocks the host's thread, with checks on the host's thread as the fallback.
 * `INITLENS_CHECK_IN_WORKER=0` in the host's environment keeps every check on the host's thread (the editor
 * benchmark compares the two: bench/editor-latency.ts).
 *
 * Web extension host (dist/web/extension.js, vscode.dev): checks on its own thread, for these reasons.
 * - That host is already a Web Worker of the page. A long check delays other web extensions' requests, never
 *   the editor: typing, scrolling and painting happen on the page's thread.
 * - A nested worker would mostly not start. VS Code's web extension host replaces `Worker` by one that loads the
 *   script through a same-origin blob and `importScripts` (so the usual cross-origin refusal is not the problem),
 *   but it throws "Creating workers from remote extensions is currently not supported" for a script on a
 *   `vscode-remote:` URI, which is where an extension installed on a server lives (code-server, Codespaces);
 *   only gallery extensions served over https (vscode.dev) could start one, and Safari, without nested workers,
 *   gets VS Code's polyfill through the page's thread (VS Code 1.139,
 *   out/vs/workbench/api/worker/extensionHostWorkerMain.js).
 * - It would ship the engine (4 MB, TypeScript's parser inside) a second time, as the worker's script.
 */
import { InThreadChecker, type Checker } from './checker';
import type { Engine } from './services';
import { WorkerChecker, type CheckerLog } from './worker-checker';

/** True in a Node extension host (the web build defines `process` as undefined). */
export function isNodeHost(): boolean {
  return typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
}

export function createChecker(loadEngine: () => Promise<Engine>, log: CheckerLog): Checker {
  const inThread = new InThreadChecker(loadEngine);
  if (!isNodeHost()) return inThread;
  if (process.env.INITLENS_CHECK_IN_WORKER === '0') {
    log.info('checks run on the extension host thread (INITLENS_CHECK_IN_WORKER=0)');
    return inThread;
  }
  return new WorkerChecker({ workerFile: `${__dirname}/check-worker.js`, fallback: inThread, log });
}
