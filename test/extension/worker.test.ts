/**
 * The check worker, through the bundled worker (dist/check-worker.js with dist/engine.js, built when stale):
 * it checks in another thread and gives what checkText gives; large outcomes travel in parts; a result nobody
 * wants any more is dropped unread; a worker that crashes, cannot start or runs away is handled (fallback to this
 * thread, said once; a runaway check stopped and the worker replaced). Then the Node extension bundle with a fake
 * `vscode`: while a check runs, edits wait (one running + one waiting check per document) and the outdated result
 * is dropped. No timing assertions.
 */
import { buildIfStale } from '../helpers/build';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import { threadId } from 'node:worker_threads';
import { generateModelFile } from '../../bench/lint-latency';
import { DEFAULT_THRESHOLDS } from '../../src/core/rules/types';
import { checkText } from '../../src/engine/check';
import { InThreadChecker, SessionCache } from '../../src/extension/checker';
import { positionedDiagnostics, positionMapper, runCheck, type CheckInput } from '../../src/extension/logic/check';
import { modelLenses } from '../../src/extension/logic/codelens';
import { diagnosticsOf } from '../../src/extension/logic/diagnostics';
import { layerAt, modelAt, modelHoverMarkdown, reportAround } from '../../src/extension/logic/hover';
import { joinOutcome, spanExtent, splitOutcome } from '../../src/extension/logic/worker-protocol';
import type { Engine } from '../../src/extension/services';
import { packModels } from '../../src/extension/pack-models';
import { lazyModels, WorkerChecker } from '../../src/extension/worker-checker';
import { cancellationToken, CodeActionKind, createFakeVscode, type FakeHost } from './fake-vscode';
import { example, exampleFiles, REPOSITORY, ROOT } from './helpers';

const DIST = join(ROOT, 'dist');
const WORKER = join(DIST, 'check-worker.js');
const PYTHON = join(ROOT, 'examples', 'python');


const requireDist = createRequire(join(DIST, 'extension.js'));
const loadEngine = async () => requireDist('./engine.js') as Engine;

interface Logged {
  lines: string[];
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
}
function logger(): Logged {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`[info] ${m}`), warn: (m) => lines.push(`[warn] ${m}`), error: (m) => lines.push(`[error] ${m}`) };
}

const input = (text: string, path: string, extra: Partial<CheckInput> = {}): CheckInput => ({ text, path, options: {}, repository: REPOSITORY, ...extra });

let temp: string;
before(() => {
  buildIfStale(['extension.js', 'engine.js', 'check-worker.js'].map((f) => join(DIST, f)));
  temp = mkdtempSync(join(tmpdir(), 'initlens-worker-test-'));
});
after(() => rmSync(temp, { recursive: true, force: true }));

describe('positions and parts (pure)', () => {
  test('positionMapper agrees with VS Code: \\r\\n, \\r and \\n line breaks, offsets clamped into the line', () => {
    const text = 'ab\r\ncd\ref\n\ngh';
    const at = positionMapper(text);
    assert.deepEqual(at(0), { line: 0, character: 0 });
    assert.deepEqual(at(2), { line: 0, character: 2 });
    assert.deepEqual(at(3), { line: 0, character: 2 }, 'inside \\r\\n: the end of the line');
    assert.deepEqual(at(4), { line: 1, character: 0 });
    assert.deepEqual(at(7), { line: 2, character: 0 });
    assert.deepEqual(at(10), { line: 3, character: 0 });
    assert.deepEqual(at(13), { line: 4, character: 2 });
    assert.deepEqual(at(99), { line: 4, character: 2 });
    assert.deepEqual(at(-5), { line: 0, character: 0 });
  });

  test('a large outcome splits into parts and joins back equal; a small one travels whole', () => {
    const engine = requireDist('./engine.js') as Engine;
    const text = generateModelFile(1500);
    const outcome = runCheck(engine, input(text, '/w/g.ts'));
    assert.equal(outcome.kind, 'checked');
    const { header, parts } = splitOutcome(outcome);
    assert.ok(parts.length > 3, `${parts.length} parts`);
    assert.equal(header.kind === 'checked' && header.inline, undefined);
    assert.deepStrictEqual(joinOutcome(structuredClone(header), parts.map((p) => structuredClone(p))), outcome);
    // Packed models: in one buffer, read when first touched, equal once read.
    const packed = splitOutcome(outcome, undefined, packModels);
    assert.ok(packed.header.kind === 'checked' && packed.header.packed);
    assert.ok(packed.parts.every((p) => !p.models));
    const joined = joinOutcome(structuredClone(packed.header), packed.parts.map((p) => structuredClone(p)), lazyModels);
    assert.ok(joined.kind === 'checked' && outcome.kind === 'checked');
    assert.equal(typeof Object.getOwnPropertyDescriptor(joined.report.models, 3)?.get, 'function', 'not read yet');
    assert.deepStrictEqual(joined.report.models[3], outcome.report.models[3]);
    assert.equal(Object.getOwnPropertyDescriptor(joined.report.models, 3)?.get, undefined, 'read once, kept');
    assert.equal(typeof Object.getOwnPropertyDescriptor(joined.report.models, 4)?.get, 'function', 'the others still unread');
    const { modelIndex, ...rest } = joined;
    assert.deepStrictEqual(rest, outcome);
    assert.deepEqual(modelIndex?.names, outcome.report.models.map((m) => m.model.name));
    const small = runCheck(engine, input(example('mnist-mlp-default-init.ts'), '/w/m.ts'));
    const split = splitOutcome(small);
    assert.equal(split.parts.length, 0);
    assert.deepStrictEqual(joinOutcome(structuredClone(split.header), []), small);
  });

  test('a hover reads only the models around the cursor, and answers as with the whole report', () => {
    const engine = requireDist('./engine.js') as Engine;
    const text = generateModelFile(800);
    const report = runCheck(engine, input(text, '/w/g.ts'));
    assert.ok(report.kind === 'checked');
    const index = { extents: report.report.models.map((m) => spanExtent(m.model)), names: report.report.models.map((m) => m.model.name) };
    const offsets = report.report.models.flatMap((m) => [m.model.span.start + 1, ...m.model.layers.map((l) => l.span.start + 3)]);
    for (const offset of [...offsets, 0, text.length - 1]) {
      const near = reportAround(report.report, index, offset);
      assert.ok(near.models.length <= 2, `${near.models.length} models at ${offset}`);
      const a = layerAt(near, offset);
      const b = layerAt(report.report, offset);
      assert.equal(a?.layer, b?.layer, `layer at ${offset}`);
      const ma = modelAt(near, offset);
      assert.equal(ma, modelAt(report.report, offset));
      if (ma) assert.equal(modelHoverMarkdown(ma, near, DEFAULT_THRESHOLDS), modelHoverMarkdown(ma, report.report, DEFAULT_THRESHOLDS));
    }
  });

  test('the session cache keeps the most recently used sessions', () => {
    let made = 0;
    const cache = new SessionCache(() => {
      made++;
      return { check: () => ({ file: '', models: [], findings: [], problems: [] }) };
    }, 2);
    const a = cache.get('a');
    cache.get('b');
    assert.equal(cache.get('a'), a);
    cache.get('c');
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a'), a, 'a was used more recently than b');
    assert.notEqual(cache.get('b'), undefined);
    assert.equal(made, 4, 'b was made again');
  });
});

describe('WorkerChecker with dist/check-worker.js', () => {
  const log = logger();
  let checker: WorkerChecker;
  before(() => {
    checker = new WorkerChecker({ workerFile: WORKER, fallback: new InThreadChecker(loadEngine), log });
  });
  after(() => checker.dispose());

  test("checks in another thread and gives checkText's report and the diagnostics, for every example", async () => {
    const files = [...exampleFiles().map((f) => [f, example(f)]), ...readdirSync(PYTHON).filter((f) => f.endsWith('.py')).map((f) => [f, readFileSync(join(PYTHON, f), 'utf8')])];
    for (const [name, text] of files) {
      const path = `/work/${name}`;
      const outcome = await checker.check(input(text, path));
      assert.ok(outcome && outcome.kind === 'checked', name);
      assert.ok(outcome.threadId !== undefined && outcome.threadId !== threadId, `${name} was checked in thread ${outcome.threadId}, this is ${threadId}`);
      const report = checkText(text, path);
      assert.deepStrictEqual(outcome.report, report, name);
      assert.deepStrictEqual(outcome.diagnostics, positionedDiagnostics(diagnosticsOf(report, REPOSITORY), text), name);
    }
    const info = await checker.info();
    assert.equal(info.mode, 'worker');
    assert.ok(info.threadId && info.threadId !== threadId);
    assert.equal(log.lines.filter((l) => l.startsWith('[error]') || l.startsWith('[warn]')).length, 0, log.lines.join('\n'));
  });

  test('a large file comes back in parts, equal to checkText; analyzers are those of the engine', async () => {
    const text = generateModelFile(3000);
    const outcome = await checker.check(input(text, '/work/g.ts'));
    assert.ok(outcome?.kind === 'checked');
    assert.deepStrictEqual(outcome.report, checkText(text, '/work/g.ts'));
    assert.ok(outcome.diagnostics.length > 100);
    assert.equal(outcome.modelIndex?.names.length, outcome.report.models.length, 'the models came packed');
    assert.deepStrictEqual(outcome.lenses, modelLenses(outcome.report, DEFAULT_THRESHOLDS));
    assert.deepEqual(
      (await checker.analyzers()).map((a) => a.id),
      (await loadEngine()).ANALYZER_INFO.map((a) => a.id),
    );
  });

  test('a document session re-checks an edited text to the same report as checkText', async () => {
    let text = generateModelFile(600);
    await checker.check(input(text, '/work/s.ts', { session: 'file:///work/s.ts', languageId: 'typescript' }));
    text = text.replace("activation: 'relu'", "activation: 'selu'");
    const outcome = await checker.check(input(text, '/work/s.ts', { session: 'file:///work/s.ts', languageId: 'typescript' }));
    assert.ok(outcome?.kind === 'checked');
    assert.deepStrictEqual(outcome.report, checkText(text, '/work/s.ts'));
    checker.forget('file:///work/s.ts');
  });

  test('skips what it should not check: no model here, an analyzer turned off', async () => {
    assert.deepEqual(await checker.check(input('export const x = 1;\n', '/work/u.ts')), {
      kind: 'skipped',
      code: 'no-model',
      reason: 'no tfjs model here (the file does not import or mention tfjs)',
    });
    const off = await checker.check(input(example('mnist-mlp-default-init.ts'), '/work/m.ts', { frameworks: ['python'] }));
    assert.equal(off?.kind === 'skipped' && off.code, 'analyzer-off');
    const forced = await checker.check(input(example('mnist-mlp-default-init.ts'), '/work/m.ts', { frameworks: ['python'], force: true }));
    assert.equal(forced?.kind, 'checked');
  });

  test('a result nobody wants any more is dropped unread', async () => {
    let asked = 0;
    const outcome = await checker.check(input(generateModelFile(2000), '/work/g.ts'), {
      stale: () => {
        asked++;
        return true;
      },
    });
    assert.equal(outcome, undefined);
    assert.ok(asked > 0);
  });
});

describe('when the worker cannot do its job', () => {
  test('a worker that crashes: the check in flight and every later one run on this thread, said once', async () => {
    const crash = join(temp, 'crash.js');
    writeFileSync(crash, "require('node:worker_threads').parentPort.on('message', (m) => { if (m.type === 'check') process.exit(3); });\n");
    const log = logger();
    const checker = new WorkerChecker({ workerFile: crash, fallback: new InThreadChecker(loadEngine), log });
    try {
      const text = example('mnist-mlp-default-init.ts');
      const first = await checker.check(input(text, '/work/m.ts'));
      assert.ok(first?.kind === 'checked');
      assert.equal(first.threadId, threadId, 'checked on this thread');
      assert.deepStrictEqual(first.report, checkText(text, '/work/m.ts'));
      assert.equal(checker.mode, 'in-thread');
      const second = await checker.check(input(text, '/work/m.ts'));
      assert.equal(second?.kind === 'checked' && second.threadId, threadId);
      const errors = log.lines.filter((l) => l.startsWith('[error]'));
      assert.equal(errors.length, 1, log.lines.join('\n'));
      assert.match(errors[0], /check worker exited \(code 3\); checking on the extension host's thread from now on/);
      // Restart tries a worker again.
      checker.restart();
      assert.equal(checker.mode, 'worker');
    } finally {
      checker.dispose();
    }
  });

  test('a worker that cannot start: checks run on this thread', async () => {
    const log = logger();
    const checker = new WorkerChecker({ workerFile: join(temp, 'missing.js'), fallback: new InThreadChecker(loadEngine), log });
    try {
      const outcome = await checker.check(input(example('symmetric-zeros.ts'), '/work/z.ts'));
      assert.ok(outcome?.kind === 'checked' && outcome.report.findings.some((f) => f.ruleId === 'symmetric-init'));
      assert.equal(checker.mode, 'in-thread');
      assert.equal(log.lines.filter((l) => l.startsWith('[error]')).length, 1, log.lines.join('\n'));
      assert.deepEqual((await checker.analyzers()).map((a) => a.id), (await loadEngine()).ANALYZER_INFO.map((a) => a.id));
    } finally {
      checker.dispose();
    }
  });

  test('a check that runs away is stopped, the file gets a problem, the worker is replaced for the others', async () => {
    const hang = join(temp, 'hang.js');
    writeFileSync(
      hang,
      [
        "const { parentPort, threadId } = require('node:worker_threads');",
        "parentPort.postMessage({ type: 'ready', threadId, startupMs: 1, analyzers: [] });",
        'parentPort.on(\'message\', (m) => {',
        "  if (m.type !== 'check') return;",
        "  if (m.input.text === 'hang') for (;;);",
        "  m.port.close();",
        "  parentPort.postMessage({ type: 'done', id: m.id, parts: 0, header: { kind: 'skipped', code: 'no-model', reason: 'thread ' + threadId } });",
        '});',
      ].join('\n'),
    );
    const log = logger();
    const checker = new WorkerChecker({ workerFile: hang, fallback: new InThreadChecker(loadEngine), log, timeoutMs: 400 });
    try {
      const stuck = checker.check(input('hang', '/work/h.ts'));
      const other = checker.check(input('fine', '/work/f.ts'));
      const a = await stuck;
      assert.ok(a?.kind === 'checked');
      assert.deepEqual(a.report.problems, [{ message: 'Not analyzed: the check took longer than 0.4 s and was stopped.' }]);
      assert.equal(a.diagnostics.length, 1);
      assert.match(a.diagnostics[0].message, /took longer than 0\.4 s/);
      const b = await other;
      assert.ok(b?.kind === 'skipped' && /^thread \d+$/.test(b.reason), JSON.stringify(b));
      assert.equal(checker.mode, 'worker', 'still a worker: a new one');
      assert.ok(log.lines.some((l) => /checking \/work\/h\.ts took over 0\.4 s: stopped/.test(l)), log.lines.join('\n'));
    } finally {
      checker.dispose();
    }
  });
});

describe('the Node extension bundle: one running and one waiting check per document, outdated results dropped', () => {
  let host: FakeHost;
  after(() => host?.context.subscriptions.forEach((d) => d.dispose()));

  test('edits during a check wait for it; its result is dropped; every caller gets the last version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    host = createFakeVscode(pkg, { 'initlens.trace': 'messages' });
    const file = join(DIST, 'extension.js');
    const mod = { exports: {} as { activate(c: unknown): any } };
    const real = createRequire(file);
    vm.runInThisContext(`(function (module, exports, require, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, { filename: file })(
      mod,
      mod.exports,
      (id: string) => (id === 'vscode' ? host.vscode : real(id)),
      file,
      DIST,
    );
    mod.exports.activate(host.context);
    const { provider } = host.codeActions[0];

    // Long enough to check that the edits below land while it runs (worker start-up comes on top).
    let text = generateModelFile(3000);
    const doc = host.open('/work/big.ts', text, 'typescript');
    await new Promise((r) => setTimeout(r, 30));
    const asks: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      text = text.replace(/units: (\d+),/, (_m, n) => `units: ${Number(n) + 1},`);
      host.edit(doc, text);
      // Fix-all checks the current text (Validator.ensure): each one asks while the first check runs.
      asks.push(provider.provideCodeActions(doc, undefined, { diagnostics: [], only: CodeActionKind.SourceFixAll, triggerKind: 1 }, cancellationToken));
    }
    await Promise.all(asks);
    const expected = checkText(text, '/work/big.ts');
    const published = host.diagnostics.get(doc.uri.toString()) ?? [];
    assert.equal(published.length, diagnosticsOf(expected, REPOSITORY).length);
    const mine = host.log.filter((l) => l.includes('/work/big.ts'));
    const checked = mine.filter((l) => l.includes('checked file:///work/big.ts'));
    const dropped = mine.filter((l) => l.includes('dropped the check of file:///work/big.ts version 1: outdated'));
    assert.equal(dropped.length, 1, mine.join('\n'));
    assert.equal(checked.length, 1, `one check for the 10 edits: ${mine.join('\n')}`);
    assert.match(checked[0], /in the check worker/);
    // The debounced checks of the edits find the document checked.
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(host.log.filter((l) => l.includes('checked file:///work/big.ts')).length, 1);
  });
});
