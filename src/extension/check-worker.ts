/**
 * The check worker: a worker_threads Worker of the Node extension host (dist/check-worker.js, started by
 * ./worker-checker.ts on the first check). It loads the engine (the sibling dist/engine.js) once and checks the
 * texts the host sends, keeping an incremental check session per edited document, so that a long check never
 * blocks the extension host's thread: typing, other extensions and VS Code's own requests go on meanwhile.
 *
 * Outcomes go back as a small "done" message plus parts on the request's MessageChannel (logic/worker-protocol.ts).
 */
import { parentPort, threadId, type MessagePort } from 'node:worker_threads';
import { SessionCache } from './checker';
import * as engine from './engine';
import { runCheck } from './logic/check';
import { packModels } from './pack-models';
import { splitOutcome, type HostMessage, type WorkerMessage } from './logic/worker-protocol';

const host = parentPort;
if (!host) throw new Error('check-worker.js runs as a worker thread of the InitLens extension');

/** Reports with more layers than this send their models packed (a hand-written model file has far fewer). */
const PACK_ABOVE_LAYERS = 200;

const sessions = new SessionCache(() => engine.createCheckSession());
const post = (m: WorkerMessage, transfer?: ArrayBuffer[]) => host.postMessage(m, transfer);

host.on('message', (msg: HostMessage) => {
  if (msg.type === 'forget') {
    if (msg.session) sessions.delete(msg.session);
    else sessions.clear();
    return;
  }
  if (msg.type !== 'check') return;
  const port = msg.port as MessagePort;
  try {
    const outcome = runCheck(engine, msg.input, msg.input.session ? sessions.get(msg.input.session) : undefined);
    if (outcome.kind === 'checked') outcome.threadId = threadId;
    // Small outcomes go whole; large ones in parts, with their models packed.
    const layers = outcome.kind === 'checked' ? outcome.report.models.reduce((n, m) => n + m.model.layers.length, 0) : 0;
    const { header, parts } = splitOutcome(outcome, undefined, layers > PACK_ABOVE_LAYERS ? packModels : undefined);
    for (const part of parts) port.postMessage(part);
    const packed = header.kind === 'checked' ? header.packed : undefined;
    post({ type: 'done', id: msg.id, header, parts: parts.length }, packed ? [packed.bytes.buffer as ArrayBuffer] : undefined);
  } catch (e) {
    post({ type: 'failed', id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  } finally {
    // The parts stay readable on the host's side.
    port.close();
  }
});

post({ type: 'ready', threadId, startupMs: performance.now(), analyzers: engine.ANALYZER_INFO.map((a) => ({ id: a.id, extensions: [...a.extensions] })) });
