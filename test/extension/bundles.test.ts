/**
 * The built extension, both bundles, driven through a fake `vscode` (fake-vscode.ts):
 * - Node: dist/extension.js, which loads dist/engine.js on the first check (activation must not load it);
 * - web: dist/web/extension.js evaluated in a `vm` context with only what a web worker has (no `process`,
 *   `require`, `Buffer`, `global`), the way the web extension host loads it (a CommonJS wrapper whose `require`
 *   knows only 'vscode').
 * The same scenario runs on both: diagnostics with codes and links, code actions, quick fix and disable comment
 * applied, hover, CodeLens, settings changes, fix-all policy, preview hook, workspace check, restart, status.
 */
import { buildIfStale } from '../helpers/build';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import { minimatch } from 'minimatch';
import { cancellationToken, CodeActionKind, createFakeVscode, type FakeDocument, type FakeHost, Position, until } from './fake-vscode';
import { example, exampleFiles, ROOT, TORCH_MODELS } from './helpers';

const DIST = join(ROOT, 'dist');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const BUNDLES = ['extension.js', 'engine.js', 'check-worker.js', 'web/extension.js'];

before(() => {
  buildIfStale(BUNDLES.map((f) => join(DIST, f)));
});

test('the package ships every bundle (.vscodeignore leaves out everything else)', () => {
  const lines = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  assert.ok(lines.includes('**'), 'everything is left out first');
  const shipped = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  const files = [...BUNDLES.map((f) => `dist/${f}`), 'dist/webview/preview.js', 'dist/webview/preview.css', 'package.json'];
  assert.deepEqual([pkg.main, pkg.browser].map((f: string) => f.replace(/^\.\//, '')).filter((f) => !files.includes(f)), [], 'the manifest names a bundle this test does not know');
  for (const f of files) assert.ok(shipped.some((g) => minimatch(f, g)), `${f} is not in the package (.vscodeignore)`);
});

interface ExtensionModule {
  activate(context: unknown): any;
}

function loadNode(host: FakeHost): ExtensionModule {
  const file = join(DIST, 'extension.js');
  const real = createRequire(file);
  const mod = { exports: {} as ExtensionModule };
  const wrapper = vm.runInThisContext(`(function (module, exports, require, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, { filename: file });
  wrapper(mod, mod.exports, (id: string) => (id === 'vscode' ? host.vscode : real(id)), file, DIST);
  return mod.exports;
}

/** What a web worker has, and nothing of Node's. */
function webGlobals() {
  return { console, TextDecoder, TextEncoder, performance, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, URL, structuredClone };
}

function loadWeb(host: FakeHost): ExtensionModule {
  const file = join(DIST, 'web', 'extension.js');
  const context = vm.createContext(webGlobals());
  for (const name of ['process', 'require', 'Buffer', 'global', 'module', 'setImmediate']) {
    assert.equal(vm.runInContext(`typeof ${name}`, context), 'undefined', `${name} leaks into the web context`);
  }
  const mod = { exports: {} as ExtensionModule };
  const wrapper = vm.runInContext(`(function (module, exports, require) {${readFileSync(file, 'utf8')}\n})`, context, { filename: file });
  wrapper(mod, mod.exports, (id: string) => {
    if (id === 'vscode') return host.vscode;
    throw new Error(`the web bundle requires '${id}', which a web extension host does not have`);
  });
  return mod.exports;
}

/** Values made in the web bundle's context have that realm's prototypes: compare them as plain data. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x));

const codeOf = (d: any) => (typeof d.code === 'object' ? d.code.value : d.code);

async function diagnosticsFor(host: FakeHost, doc: FakeDocument, pred: (ds: any[]) => boolean = (ds) => ds.length > 0, what = 'diagnostics'): Promise<any[]> {
  await until(() => pred(host.diagnostics.get(doc.uri.toString()) ?? []), 15000, what);
  return host.diagnostics.get(doc.uri.toString())!;
}

async function actionsAt(host: FakeHost, doc: FakeDocument, diag: any, only?: CodeActionKind, triggerKind = 1) {
  const { provider } = host.codeActions[0];
  return (await provider.provideCodeActions(doc, diag?.range, { diagnostics: diag ? [diag] : [], only, triggerKind }, cancellationToken)) as any[];
}

for (const [label, load] of [
  ['node bundle (dist/extension.js + dist/engine.js)', loadNode],
  ['web bundle (dist/web/extension.js, no Node globals)', loadWeb],
] as const) {
  describe(label, () => {
    let host: FakeHost;
    let api: any;
    let activationMs = 0;
    // Deactivation: the Node bundle's check worker stops with it.
    after(() => host?.context.subscriptions.forEach((d) => d.dispose()));

    test('activates fast, registers its providers and commands, and does not load the engine yet', () => {
      host = createFakeVscode(pkg);
      const t0 = performance.now();
      const ext = load(host);
      api = ext.activate(host.context);
      activationMs = performance.now() - t0;
      assert.ok(api && typeof api.registerPreviewHandler === 'function');
      assert.equal(host.codeActions.length, 1);
      assert.deepEqual(plain(host.codeActions[0].metadata.providedCodeActionKinds.map((k: CodeActionKind) => k.value)), ['quickfix', 'source.fixAll.initlens']);
      assert.equal(host.hovers.length, 1);
      assert.equal(host.lenses.length, 1);
      assert.deepEqual([...host.commands.keys()].sort(), (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort());
      assert.equal((host.statusItems[0] as { id: string }).id, 'initlens.status');
      assert.ok(!host.log.some((l) => l.includes('engine loaded')), 'the engine loads after activation');
      assert.ok(host.log.some((l) => /activated in [\d.]+ ms for typescript/.test(l) || /activated in [\d.]+ ms for javascript/.test(l)), host.log.join('\n'));
      // Loading + activating the Node bundle takes a few ms (the 4 MB engine waits); generous bound for CI.
      if (load === loadNode) assert.ok(activationMs < 1000, `activation took ${activationMs.toFixed(0)} ms`);
      console.log(`# ${label}: load + activate ${activationMs.toFixed(1)} ms`);
    });

    let doc: FakeDocument;
    test('diagnostics on open: rule codes with documentation links, severities, related locations', async () => {
      doc = host.open('/work/examples/mnist-mlp-default-init.ts', example('mnist-mlp-default-init.ts'), 'typescript');
      const ds = await diagnosticsFor(host, doc);
      assert.deepEqual(plain(ds.map(codeOf).sort()), [...Array(8).fill('relu-needs-he'), 'vanishing-signal'].sort());
      for (const d of ds) {
        assert.equal(d.source, 'initlens');
        assert.equal(d.severity, 1);
        assert.equal(d.code.target.toString(), `https://github.com/initlens/initlens/blob/main/docs/rules/${d.code.value}.md`);
      }
      const vanishing = ds.find((d) => codeOf(d) === 'vanishing-signal');
      assert.equal(vanishing.relatedInformation[0].message, 'the read-out layer');
      assert.equal(vanishing.relatedInformation.length, 4);
      assert.equal(vanishing.range.start.line, 9);
      assert.ok(host.log.some((l) => l.includes('engine loaded')));
      const status = host.statusItems[0] as { text: string; detail: string };
      await until(() => status.text === 'InitLens: 1 model, 9 findings', 5000, 'status text');
      assert.match(status.detail, /^tfjs · checked in \d+ ms$/);
    });

    test(load === loadNode ? 'the checks ran in a worker thread' : 'the checks ran on the web extension host thread', async () => {
      const info = plain(await api.checkerInfo());
      if (load === loadNode) {
        assert.equal(info.mode, 'worker');
        assert.ok(info.threadId > 0, `worker thread id ${info.threadId}`);
        assert.ok(host.log.some((l) => /engine loaded in the check worker \(thread \d+\)/.test(l)), host.log.join('\n'));
      } else {
        assert.deepEqual(info, { mode: 'in-thread' });
      }
    });

    test('code actions: the fix (preferred), fix all of the rule, disable line and file, documentation', async () => {
      const ds: any[] = host.diagnostics.get(doc.uri.toString())!;
      const relu = ds.find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 11);
      const actions = await actionsAt(host, doc, relu);
      assert.deepEqual(
        plain(actions.map((a) => a.title)),
        [
          'Use heUniform for the kernel of dense (layer 2)',
          'Fix all relu-needs-he problems',
          'Disable relu-needs-he for this line',
          'Disable relu-needs-he for the entire file',
          'Show documentation for relu-needs-he',
        ],
      );
      assert.equal(actions[0].isPreferred, true);
      assert.ok(actions.every((a) => a.kind.value === 'quickfix'));
      await host.commands.get(actions[4].command.command)!(...actions[4].command.arguments);
      assert.deepEqual(host.opened, ['https://github.com/initlens/initlens/blob/main/docs/rules/relu-needs-he.md']);
      // The diagnostic without a fix has no fix action.
      const vanishing = ds.find((d) => codeOf(d) === 'vanishing-signal');
      assert.deepEqual(plain((await actionsAt(host, doc, vanishing)).map((a) => a.title)), [
        'Disable vanishing-signal for this line',
        'Disable vanishing-signal for the entire file',
        'Show documentation for vanishing-signal',
      ]);
    });

    test('while typing, the automatic lightbulb request does not force a check; Ctrl+. does', async () => {
      const relu = (host.diagnostics.get(doc.uri.toString()) as any[]).find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 11);
      const checks = () => host.log.filter((l) => l.includes('checked ')).length;
      host.setConfig({ 'initlens.run': 'onSave', 'initlens.trace': 'messages' });
      await until(() => checks() > 0, 5000, 'the settings change re-checked');
      const before = checks();
      host.edit(doc, doc.text + '\n');
      assert.deepEqual(plain(await actionsAt(host, doc, relu, undefined, 2)), [], 'no actions from an outdated check');
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(checks(), before, 'the automatic request did not check');
      assert.ok((await actionsAt(host, doc, relu, undefined, 1)).length > 0, 'Ctrl+. checks the current text');
      assert.equal(checks(), before + 1);
      host.edit(doc, doc.text.slice(0, -1));
      host.setConfig({});
      await diagnosticsFor(host, doc, (x) => x.length === 9, 'back to the 9 findings');
    });

    test('typing within a line keeps the diagnostics published (not set again); their fixes follow the new text', async () => {
      const published = host.diagnostics.get(doc.uri.toString());
      const checks = () => host.log.filter((l) => l.includes('checked ')).length;
      host.setConfig({ 'initlens.trace': 'messages' });
      await until(() => checks() > 0, 5000, 'the settings change re-checked');
      const before = checks();
      const original = doc.text;
      // One character at the end of the first comment line: every later offset moves, no line or column does.
      host.edit(doc, original.replace('\n', 'x\n'));
      await until(() => checks() > before, 5000, 'the edit re-checked');
      assert.equal(host.diagnostics.get(doc.uri.toString()), published, 'the same diagnostics, not published again');
      const relu = (published as any[]).find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 11);
      const [fix] = await actionsAt(host, doc, relu);
      host.applyEdit(fix.edit);
      assert.equal(doc.text.split('\n')[11], "  model.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'heUniform' }));");
      const fixed = checks();
      host.edit(doc, original);
      await until(() => checks() > fixed, 5000, 'the original text re-checked');
      host.setConfig({});
      await diagnosticsFor(host, doc, (x) => x.length === 9, 'back to the 9 findings');
    });

    test('applying the quick fix rewrites the layer and its diagnostic disappears', async () => {
      const relu = (host.diagnostics.get(doc.uri.toString()) as any[]).find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 11);
      const [fix] = await actionsAt(host, doc, relu);
      host.applyEdit(fix.edit);
      assert.equal(doc.text.split('\n')[11], "  model.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'heUniform' }));");
      const ds = await diagnosticsFor(host, doc, (x) => x.filter((d) => codeOf(d) === 'relu-needs-he').length === 7, '7 relu-needs-he');
      assert.ok(!ds.some((d) => d.range.start.line === 11 && codeOf(d) === 'relu-needs-he'));
    });

    test('"Disable for this line" adds the comment and the diagnostic goes', async () => {
      const relu = (host.diagnostics.get(doc.uri.toString()) as any[]).find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 12);
      const disable = (await actionsAt(host, doc, relu)).find((a) => a.title === 'Disable relu-needs-he for this line');
      host.applyEdit(disable.edit);
      assert.equal(doc.text.split('\n')[12], '  // initlens-disable-next-line relu-needs-he');
      await diagnosticsFor(host, doc, (x) => x.filter((d) => codeOf(d) === 'relu-needs-he').length === 6, '6 relu-needs-he');
    });

    test('hover on a layer: realized distribution, fans, activation gain, predicted gains, signal', async () => {
      const line = doc.text.split('\n').findIndex((l) => l.includes("dense({ units: 256, activation: 'relu' })"));
      const hover = await host.hovers[0].provideHover(doc, new Position(line, 20), cancellationToken);
      const md: string = hover.contents.value;
      assert.match(md, /\| kernel \| the default glorotNormal: truncated normal, std 0\.0\d+, cut at ±0\.\d+ \(0\.774× the nominal variance\) \|/);
      assert.match(md, /\| fans \| in 256 · out 256 · c = fan-in·E\[W²\] = 0\.774 \|/);
      assert.match(md, /\| activation \| relu, gain 0\.5 \|/);
      assert.match(md, /\| layer gain \| ×0\.39 forward · ×[\d.]+ backward \|/);
      assert.match(md, /\| signal E\[x²\] \| [\d.e-]+ in → [\d.e-]+ out \(rms [\d.]+\) \|/);
      assert.equal(await host.hovers[0].provideHover(doc, new Position(0, 3), cancellationToken), undefined);
    });

    test('CodeLens: summary and Preview; the Preview lens runs the preview handler with the model', async () => {
      const lenses = await host.lenses[0].provideCodeLenses(doc, cancellationToken);
      assert.equal(lenses.length, 2);
      assert.match(lenses[0].command.title, /^InitLens: 10 layers · signal ×0\.0\d+ after 8 weighted layers/);
      assert.equal(lenses[1].command.title, 'Preview');
      assert.equal(lenses[1].command.command, 'initlens.preview');
      // The real panel (a webview) is exercised in code-server (test/e2e/preview.e2e.ts); here a handler stands in
      // for it to check what the lens hands over.
      const seen: any[] = [];
      const reg = api.registerPreviewHandler((r: any) => seen.push(r));
      await host.commands.get('initlens.preview')!(...lenses[1].command.arguments);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].modelName, lenses[1].command.arguments[0].modelName);
      assert.equal(seen[0].modelName, seen[0].model.model.name);
      assert.equal(seen[0].uri.toString(), doc.uri.toString());
      assert.equal(seen[0].model.model.layers.length, 10);
      reg.dispose();
    });

    test('fix-all applies safe fixes only; initializer swaps with the opt-in', async () => {
      const only = CodeActionKind.SourceFixAll;
      assert.deepEqual(plain(await actionsAt(host, doc, undefined, only)), [], 'no safe fix in the MLP');
      host.setConfig({ 'initlens.fixAll.includeInitializerSwaps': true });
      const [all] = await actionsAt(host, doc, undefined, only);
      assert.equal(all.kind.value, 'source.fixAll.initlens');
      assert.equal(all.edit.edits.length, 6);
      host.setConfig({});
      const falsy = host.open('/work/examples/falsy-minval.ts', example('falsy-minval.ts'), 'typescript');
      await diagnosticsFor(host, falsy);
      const [safe] = await actionsAt(host, falsy, undefined, only);
      assert.equal(safe.edit.edits.length, 1);
      assert.equal(safe.edit.edits[0].newText, 'Number.MIN_VALUE');
      host.close(falsy);
      assert.equal(host.diagnostics.get(falsy.uri.toString()), undefined, 'closing forgets the document');
    });

    test('settings apply without a reload: a rule turned off, a severity raised, the extension disabled', async () => {
      const rules = { 'relu-needs-he': 'off', 'vanishing-signal': 'error' };
      host.setConfig({ 'initlens.rules': rules });
      const ds = await diagnosticsFor(host, doc, (x) => x.length === 1 && codeOf(x[0]) === 'vanishing-signal' && x[0].severity === 0, 'only vanishing-signal, as an error');
      assert.equal(ds.length, 1);
      // `enable` alone changes (the rules stay): a cached check for the same options must not bring diagnostics back.
      host.setConfig({ 'initlens.rules': rules, 'initlens.enable': false });
      await until(() => !host.diagnostics.has(doc.uri.toString()), 5000, 'diagnostics cleared');
      host.setConfig({});
      await diagnosticsFor(host, doc, (x) => x.length === 7, 'diagnostics back');
    });

    test('typing re-checks (debounced); onSave mode waits for the save', async () => {
      const before = host.diagnostics.get(doc.uri.toString())!.length;
      host.edit(doc, doc.text.replace("model.add(tf.layers.dense({ units: 256, activation: 'relu' }));\n", ''));
      await diagnosticsFor(host, doc, (x) => x.length === before - 1, 'one layer fewer');
      host.setConfig({ 'initlens.run': 'onSave' });
      await new Promise((r) => setTimeout(r, 50));
      host.edit(doc, doc.text.replace("model.add(tf.layers.dense({ units: 256, activation: 'relu' }));\n", ''));
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(host.diagnostics.get(doc.uri.toString())!.length, before - 1, 'no check while typing in onSave mode');
      host.save(doc);
      await diagnosticsFor(host, doc, (x) => x.length === before - 2, 'checked on save');
      host.setConfig({});
    });

    test('a syntax error is one information diagnostic, never a crash', async () => {
      const broken = host.open('/work/broken.ts', "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units: 4, inputShape: [4] ));\n", 'typescript');
      const ds = await diagnosticsFor(host, broken);
      assert.equal(ds.length, 1);
      assert.equal(ds[0].severity, 2);
      assert.equal(ds[0].code, 'analysis');
      assert.match(ds[0].message, /^InitLens analyzed this file only in part: Syntax error/);
      host.close(broken);
    });

    test('Python: PyTorch diagnostics, and the disable comment in Python syntax', { skip: !pkg.activationEvents.includes('onLanguage:python') && 'no Python analyzer' }, async () => {
      const py = host.open('/work/model.py', TORCH_MODELS, 'python');
      const ds = await diagnosticsFor(host, py, (x) => x.some((d) => codeOf(d) === 'relu-needs-he'), 'relu-needs-he on model.py');
      const relu = ds.find((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 24);
      assert.ok(relu, JSON.stringify(plain(ds.map((d) => [codeOf(d), d.range.start.line]))));
      const actions = await actionsAt(host, py, relu);
      assert.match(actions[0].title, /^Use kaiming_uniform_ for the kernel of nn\.Linear 'fc1'/);
      const disable = actions.find((a) => a.title === 'Disable relu-needs-he for this line');
      host.applyEdit(disable.edit);
      assert.equal(py.text.split('\n')[24], '        # initlens: disable=relu-needs-he');
      await diagnosticsFor(host, py, (x) => !x.some((d) => codeOf(d) === 'relu-needs-he' && d.range.start.line === 25), 'suppressed');
      const hover = await host.hovers[0].provideHover(py, new Position(22, 20), cancellationToken);
      assert.match(hover.contents.value, /\| fans \| in 784 · out 256/);
      host.close(py);
    });

    test('files without a model, declaration files and untitled documents', async () => {
      const plain = host.open('/work/util.ts', 'export const x = 1;\n', 'typescript');
      await until(() => (host.statusItems[0] as { detail: string }).detail.includes('no tfjs model here'), 5000, 'status says why');
      assert.equal(host.diagnostics.get(plain.uri.toString()), undefined);
      const untitled = host.open('Untitled-1', example('symmetric-zeros.ts'), 'typescript');
      const ds = await diagnosticsFor(host, untitled);
      assert.ok(ds.some((d) => codeOf(d) === 'symmetric-init'));
      host.close(plain);
      host.close(untitled);
    });

    test('Check Workspace fills the Problems panel from the files on disk, and Restart clears and re-checks', async () => {
      for (const name of exampleFiles()) host.files.set(`file:///work/examples/${name}`, example(name));
      host.files.set('file:///work/types.d.ts', 'export declare const tf: unknown;\n');
      const summary = await host.commands.get('initlens.checkWorkspace')!();
      // The examples, the two other files opened above (util.ts, broken.ts) and model.py when Python is served.
      assert.ok((summary as { checked: number }).checked >= exampleFiles().length + 2);
      for (const name of ['cifar-cnn.ts', 'lstm-sentiment.ts', 'random-normal-wide.js', 'core-api-mlp.ts']) {
        const uri = `file:///work/examples/${name}`;
        if (name === 'cifar-cnn.ts') assert.deepEqual(plain(host.diagnostics.get(uri)), []);
        else assert.ok(host.diagnostics.get(uri)?.length, `${name} has diagnostics`);
      }
      assert.equal(host.diagnostics.get('file:///work/types.d.ts'), undefined);
      assert.match(host.messages.at(-1)!, /^InitLens checked \d+ files: \d+ models, \d+ findings\.$/);
      await host.commands.get('initlens.restart')!();
      assert.ok(!host.diagnostics.has('file:///work/examples/lstm-sentiment.ts'), 'restart clears');
      await diagnosticsFor(host, doc, (x) => x.length > 0, 'open document re-checked');
    });
  });
}
