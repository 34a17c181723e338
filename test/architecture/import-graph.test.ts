/**
 * The layer graph holds: every import of src/** and webview/** (read with TypeScript's parser) goes along an
 * allowed edge (scripts/layout.ts lists them), `vscode` is imported by the adapters only (directly or through
 * another file), nothing in src/ imports webview/, and README.md's Layout section shows the graph that exists
 * (npm run layout).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { allImports, edges, importsOf, LAYERS, layerOf, mayImportVscode, renderGraph, ROOT, violations, withGraph, type Import } from '../../scripts/layout';

const imports = allImports();

test('every import of src/ and webview/ goes along the allowed layer graph', (t) => {
  t.diagnostic(`${imports.length} imports in ${new Set(imports.map((i) => i.file)).size} files\n${renderGraph(imports)}`);
  assert.deepEqual(violations(imports), []);
});

test('the allowed graph has no cycle, and the layers cover every source file', () => {
  const order = new Map(LAYERS.map((l, i) => [l.layer, i]));
  for (const l of LAYERS) for (const to of l.imports) assert.ok(order.get(to)! < order.get(l.layer)!, `${l.layer} → ${to} goes up the list`);
  const files = new Set(imports.map((i) => i.file));
  for (const f of files) assert.ok(layerOf(f), `${f} is in no layer`);
});

test('the parser finds every form of import, with its line', () => {
  const text = [
    "import a from './a';",
    "import type { B } from '../core/model';",
    "export { c } from '../engine/check';",
    "import d = require('vscode');",
    "const e = () => import('../cli/main');",
    "const f = require('../../webview/main');",
    "type G = typeof import('../rebuild/build');",
    "const notAnImport = 'from \"../cli/args\"';",
  ].join('\n');
  const found = importsOf('src/preview/x.ts', text).map((i) => `${i.line} ${i.specifier} ${i.target ?? '-'}`);
  assert.deepEqual(found, [
    '1 ./a -',
    '2 ../core/model src/core/model.ts',
    '3 ../engine/check src/engine/check.ts',
    '4 vscode -',
    '5 ../cli/main src/cli/main.ts',
    '6 ../../webview/main webview/main.ts',
    '7 ../rebuild/build src/rebuild/build.ts',
  ]);
});

test('an import against the graph is reported with its file and line', () => {
  const at = (file: string, line: number, specifier: string, target?: string): Import => ({ file, line, specifier, target });
  assert.deepEqual(
    violations([
      at('src/core/propagate.ts', 3, '../engine/check', 'src/engine/check.ts'),
      at('src/extension/logic/codelens.ts', 9, '../../cli/results', 'src/cli/results.ts'),
      at('src/preview/panel.ts', 16, '../extension/logic/settings', 'src/extension/logic/settings.ts'),
      at('src/cli/report.ts', 20, '../../webview/lib/charts', 'webview/lib/charts.ts'),
      at('src/extension/logic/hover.ts', 2, 'vscode'),
      at('src/core/model.ts', 1, './gone'),
      at('src/extension/logic/status.ts', 4, '../status', 'src/extension/status.ts'),
      at('src/extension/status.ts', 1, 'vscode'),
      // Allowed: the adapters' vscode, a lower layer, the CLI's version from package.json, packages.
      at('src/preview/panel.ts', 12, 'vscode'),
      at('src/extension/extension.ts', 18, '../preview/panel', 'src/preview/panel.ts'),
      at('webview/main.ts', 30, '../src/preview/logic/run', 'src/preview/logic/run.ts'),
      at('src/cli/meta.ts', 5, '../../package.json', 'package.json'),
      at('src/analyzers/tfjs/analyze.ts', 1, 'ts-morph'),
    ]),
    [
      'src/core/propagate.ts:3: core imports engine (src/engine/check.ts), against the layer graph',
      'src/extension/logic/codelens.ts:9: extension imports cli (src/cli/results.ts), against the layer graph',
      'src/preview/panel.ts:16: preview imports extension (src/extension/logic/settings.ts), against the layer graph',
      "src/cli/report.ts:20: src/ imports the page's folder (webview/lib/charts.ts)",
      'src/extension/logic/hover.ts:2: imports vscode outside the adapters (src/extension/*.ts, src/preview/*.ts)',
      "src/core/model.ts:1: './gone' resolves to no file",
      'src/extension/logic/status.ts:4: imports src/extension/status.ts, which depends on vscode, outside the adapters',
    ],
  );
  assert.ok(mayImportVscode('src/extension/validator.ts') && mayImportVscode('src/preview/host.ts'));
  assert.ok(!mayImportVscode('src/preview/logic/messages.ts') && !mayImportVscode('src/core/model.ts') && !mayImportVscode('webview/main.ts'));
});

test('the edges are counted per pair of layers', () => {
  const counted = edges([
    { file: 'src/cli/main.ts', line: 1, specifier: '../engine/check', target: 'src/engine/check.ts' },
    { file: 'src/cli/report.ts', line: 2, specifier: '../engine/check', target: 'src/engine/check.ts' },
    { file: 'src/cli/report.ts', line: 3, specifier: './files', target: 'src/cli/files.ts' },
    { file: 'src/cli/report.ts', line: 4, specifier: 'node:fs' },
  ]);
  assert.deepEqual([...counted], [['cli → engine', 2]]);
});

test("README.md's Layout section shows the graph that exists (npm run layout)", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.equal(withGraph(readme, renderGraph(imports)), readme, 'README.md: the layer graph is stale: run npm run layout');
});
