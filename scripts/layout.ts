/**
 * The layer graph of the sources: every import of `src/**` and `webview/**`, read with TypeScript's parser, mapped
 * from file to layer (its folder) and checked against the allowed graph. test/architecture/import-graph.test.ts
 * fails on an import against it; `npm run layout` writes the graph that exists into README.md's Layout section
 * (between the `layout:graph` markers), and the test fails when that section is stale.
 *
 *   npm run layout            rewrite the README section
 *   npm run layout -- --check say whether it is up to date (exit status 1 when not)
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.join(__dirname, '..');

export type Layer = 'core' | 'analyzers' | 'engine' | 'rebuild' | 'preview' | 'extension' | 'cli' | 'webview';

/** Each layer: its folder, what it is for, and the layers it may import (the allowed graph, lowest first). */
export const LAYERS: readonly { layer: Layer; folder: string; role: string; imports: readonly Layer[] }[] = [
  { layer: 'core', folder: 'src/core', role: 'the model description, initializer and activation semantics, moments, propagation, rules', imports: [] },
  { layer: 'analyzers', folder: 'src/analyzers', role: 'source text → model description, one folder per language', imports: ['core'] },
  { layer: 'engine', folder: 'src/engine', role: 'checkText(): analyzer, propagation, rules, suppressions and fixes in one call', imports: ['core', 'analyzers'] },
  { layer: 'rebuild', folder: 'src/rebuild', role: 'a model description rebuilt in TensorFlow.js and measured', imports: ['core'] },
  { layer: 'preview', folder: 'src/preview', role: 'the preview: its panel (panel.ts, host.ts) and its pure logic (runs, LSUV, alternatives, page data)', imports: ['core', 'engine', 'rebuild'] },
  { layer: 'extension', folder: 'src/extension', role: 'the VS Code extension (logic/ is pure); Node and web builds', imports: ['core', 'engine', 'preview'] },
  { layer: 'cli', folder: 'src/cli', role: 'initlens check, initlens report', imports: ['core', 'engine', 'preview'] },
  { layer: 'webview', folder: 'webview', role: 'the preview page in the browser: state, backends, DOM', imports: ['core', 'rebuild', 'preview'] },
];

/** The only files that may import `vscode`: the adapters (the extension's and the preview's top-level files). */
export function mayImportVscode(file: string): boolean {
  return /^src\/(extension|preview)\/[^/]+\.ts$/.test(file);
}

/** Files outside the layers that a layer may import. */
const OUTSIDE_ALLOWED = new Set(['package.json']);

export interface Import {
  /** Importing file, relative to the root, with forward slashes. */
  file: string;
  line: number;
  specifier: string;
  /** The imported file (relative to the root) for a relative specifier; undefined for a package. */
  target?: string;
}

export function layerOf(file: string): Layer | undefined {
  return LAYERS.find((l) => file === l.folder || file.startsWith(`${l.folder}/`))?.layer;
}

/** Every .ts file below the source folders, relative to the root. */
export function sourceFiles(root = ROOT): string[] {
  const out: string[] = [];
  for (const top of ['src', 'webview']) {
    for (const entry of readdirSync(path.join(root, top), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const rel = path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/');
      if (!rel.split('/').includes('node_modules')) out.push(rel);
    }
  }
  return out.sort();
}

function resolve(root: string, from: string, specifier: string): string | undefined {
  const base = path.join(root, path.dirname(from), specifier);
  const found = [base, `${base}.ts`, path.join(base, 'index.ts')].find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
  return found && path.relative(root, found).split(path.sep).join('/');
}

/** The module specifiers of a file: import and export declarations, import = require, import(), require(), import types. */
export function importsOf(file: string, text: string, root = ROOT): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Import[] = [];
  const add = (node: ts.Node, lit: ts.Expression | undefined) => {
    if (!lit || !ts.isStringLiteralLike(lit)) return;
    const specifier = lit.text;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({ file, line, specifier, target: specifier.startsWith('.') ? resolve(root, file, specifier) : undefined });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function allImports(root = ROOT): Import[] {
  return sourceFiles(root).flatMap((f) => importsOf(f, readFileSync(path.join(root, f), 'utf8'), root));
}

/** The files that import `vscode`, directly or through the files they import. */
export function vscodeBound(imports: readonly Import[]): Set<string> {
  const bound = new Set(imports.filter((i) => i.specifier === 'vscode').map((i) => i.file));
  for (let grew = true; grew; ) {
    grew = false;
    for (const i of imports) {
      if (i.target && bound.has(i.target) && !bound.has(i.file)) {
        bound.add(i.file);
        grew = true;
      }
    }
  }
  return bound;
}

/** The imports against the rules, one line each: `file:line: what is wrong`. */
export function violations(imports: readonly Import[]): string[] {
  const allowed = new Map(LAYERS.map((l) => [l.layer, new Set<Layer>([l.layer, ...l.imports])]));
  const bound = vscodeBound(imports);
  const out: string[] = [];
  for (const i of imports) {
    const at = `${i.file}:${i.line}`;
    const from = layerOf(i.file);
    if (!from) {
      out.push(`${at}: the file is in no layer`);
      continue;
    }
    if (i.specifier === 'vscode') {
      if (!mayImportVscode(i.file)) out.push(`${at}: imports vscode outside the adapters (src/extension/*.ts, src/preview/*.ts)`);
      continue;
    }
    if (!i.specifier.startsWith('.')) continue;
    if (!i.target) {
      out.push(`${at}: '${i.specifier}' resolves to no file`);
      continue;
    }
    const to = layerOf(i.target);
    if (!to) {
      if (!OUTSIDE_ALLOWED.has(i.target)) out.push(`${at}: imports ${i.target}, outside the layers`);
      continue;
    }
    if (i.file.startsWith('src/') && i.target.startsWith('webview/')) out.push(`${at}: src/ imports the page's folder (${i.target})`);
    else if (!allowed.get(from)!.has(to)) out.push(`${at}: ${from} imports ${to} (${i.target}), against the layer graph`);
    else if (bound.has(i.target) && !mayImportVscode(i.file)) out.push(`${at}: imports ${i.target}, which depends on vscode, outside the adapters`);
  }
  return out;
}

/** The edges that exist between layers, with the number of imports along each. */
export function edges(imports: readonly Import[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of imports) {
    const from = layerOf(i.file);
    const to = i.target ? layerOf(i.target) : undefined;
    if (!from || !to || from === to) continue;
    const key = `${from} → ${to}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The graph as the README shows it: per layer, its folder, the layers it may import, and the imports that exist. */
export function renderGraph(imports: readonly Import[]): string {
  const counts = edges(imports);
  const rows = LAYERS.map(({ layer, folder, imports: allowed }) => {
    const targets = LAYERS.map((l) => l.layer).filter((to) => counts.has(`${layer} → ${to}`));
    const existing = targets.map((to) => `${to} (${counts.get(`${layer} → ${to}`)})`).join(', ');
    return `| ${layer} | \`${folder}/\` | ${allowed.join(', ') || '–'} | ${existing || '–'} |`;
  });
  return ['| layer | folder | may import | imports now (count) |', '|---|---|---|---|', ...rows].join('\n');
}

export const START = '<!-- layout:graph:start (npm run layout) -->';
export const END = '<!-- layout:graph:end -->';

/** The README with its graph section replaced by `graph`. */
export function withGraph(readme: string, graph: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, a + START.length)}\n${graph}\n${readme.slice(b)}`;
}

function main(): void {
  const file = path.join(ROOT, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const imports = allImports();
  const wrong = violations(imports);
  for (const w of wrong) console.error(w);
  const next = withGraph(readme, renderGraph(imports));
  if (process.argv.includes('--check')) {
    if (next !== readme) console.error('README.md: the layer graph is stale (npm run layout)');
    process.exit(next !== readme || wrong.length ? 1 : 0);
  }
  if (next !== readme) writeFileSync(file, next);
  console.log(renderGraph(imports));
  if (wrong.length) process.exit(1);
}

if (require.main === module) main();
