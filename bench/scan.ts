/**
 * Workspace scan: files per second and peak memory of `initlens check` on a generated repository of 2,000 files
 * (tfjs models, PyTorch and Keras models, and much more unrelated TypeScript: utility modules, React components,
 * services, tests), in one thread (--jobs 1) and in two worker threads (--jobs 2); and the same TypeScript and
 * JavaScript files through ESLint with @typescript-eslint/parser, the tool every TypeScript user already runs, as a
 * reference. A benchmark, not a test: it asserts nothing and writes no file of its own outside a temporary folder.
 *
 *   node --import tsx bench/scan.ts            (prints a table)
 *   runScanBench() from another bench          (returns the figures)
 *
 * What is measured, and how:
 * - Every tool runs as a child process, as a user runs it: `node dist/cli.js check . --jobs N` (the esbuild bundle;
 *   `node esbuild.js` builds it first when it is missing or older than src/) and `node eslint/bin/eslint.js .`.
 * - Wall time: from spawn to exit, in this process (process start-up and loading included, as a user waits).
 * - Peak memory: the child's own getrusage maxRSS. The child is started with `--require` of a 3-line preload
 *   that writes `process.resourceUsage()` (maxRSS, user and system CPU time) to a file when the process exits.
 *   Worker threads live in the same process, so this maxRSS covers them; CPU time covers all threads too.
 * - Each configuration runs SCAN_RUNS times (default 3), the configurations interleaved so that a burst of load
 *   from elsewhere does not land on one of them only; the table shows the median wall time and the largest maxRSS.
 * - ESLint: flat config, @typescript-eslint/parser without type information (parse only, as any non-type-aware
 *   setup) and two cheap core rules, `no-debugger` and `eqeqeq`; ignores mirror the .gitignore (ESLint does not
 *   read .gitignore). Run with `--concurrency off` (its default) and `--concurrency 2`.
 * - Both outputs go to a file (JSON), which is also how the number of files each tool handled is verified, and the
 *   initlens reports of --jobs 1 and --jobs 2 are compared byte for byte.
 *
 * The repository is deterministic (a seeded generator): same files, same bytes, on every run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateModelFile } from './lint-latency';
import { mulberry32 as rng } from '../test/helpers/rng';

const REPO = path.resolve(__dirname, '..');
const CLI_BUNDLE = path.join(REPO, 'dist', 'cli.js');
const ESLINT_BIN = path.join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js');

export const SCAN_FILES = 2000;

// ---------------------------------------------------------------------------------------------------------------
// The generated repository.


type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const cap = (s: string): string => s[0].toUpperCase() + s.slice(1);

const WORDS = ['user', 'order', 'invoice', 'cart', 'session', 'report', 'metric', 'account', 'product', 'search', 'upload', 'profile', 'billing', 'event', 'feature', 'review', 'message', 'channel', 'dataset', 'schedule'];

function utilityModule(r: Rand, name: string): string {
  const out = [`/** ${cap(name)} helpers. */`, "import { strict as assert } from 'node:assert';", ''];
  out.push(`export interface ${cap(name)}Options {`, '  limit?: number;', '  prefix?: string;', '  strict?: boolean;', '}', '');
  const n = int(r, 4, 16);
  for (let i = 0; i < n; i++) {
    const w = pick(r, WORDS);
    switch (i % 4) {
      case 0:
        out.push(
          `export function format${cap(w)}${i}(value: string, options: ${cap(name)}Options = {}): string {`,
          '  const limit = options.limit ?? 80;',
          `  const text = (options.prefix ?? '') + value.trim().replace(/\\s+/g, ' ');`,
          "  return text.length > limit ? text.slice(0, limit - 1) + '…' : text;",
          '}',
          '',
        );
        break;
      case 1:
        out.push(
          `export function groupBy${cap(w)}${i}<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {`,
          '  const groups = new Map<string, T[]>();',
          '  for (const item of items) {',
          '    const k = key(item);',
          '    const list = groups.get(k);',
          '    if (list) list.push(item);',
          '    else groups.set(k, [item]);',
          '  }',
          '  return groups;',
          '}',
          '',
        );
        break;
      case 2:
        out.push(
          `export class ${cap(w)}Cache${i}<V> {`,
          '  private readonly entries = new Map<string, { value: V; at: number }>();',
          `  constructor(private readonly ttlMs: number = ${int(r, 1, 60) * 1000}) {}`,
          '  get(key: string, now = Date.now()): V | undefined {',
          '    const e = this.entries.get(key);',
          '    if (!e || now - e.at > this.ttlMs) return undefined;',
          '    return e.value;',
          '  }',
          '  set(key: string, value: V, now = Date.now()): void {',
          '    this.entries.set(key, { value, at: now });',
          '  }',
          '}',
          '',
        );
        break;
      default:
        out.push(
          `export async function retry${cap(w)}${i}<T>(fn: () => Promise<T>, attempts = ${int(r, 2, 5)}): Promise<T> {`,
          '  let last: unknown;',
          '  for (let i = 0; i < attempts; i++) {',
          '    try {',
          '      return await fn();',
          '    } catch (error) {',
          '      last = error;',
          '      await new Promise((resolve) => setTimeout(resolve, 2 ** i * 50));',
          '    }',
          '  }',
          "  assert(last !== undefined, 'no attempt was made');",
          '  throw last;',
          '}',
          '',
        );
    }
  }
  return out.join('\n');
}

function component(r: Rand, name: string): string {
  const C = cap(name);
  const fields = Array.from({ length: int(r, 2, 8) }, (_, i) => `${pick(r, WORDS)}${i}`);
  const out = [
    "import React, { useCallback, useEffect, useMemo, useState } from 'react';",
    "import { useQuery } from '@tanstack/react-query';",
    '',
    `export interface ${C}Props {`,
    '  id: string;',
    '  title?: string;',
    '  onSelect?: (id: string) => void;',
    '}',
    '',
    `interface ${C}Row {`,
    ...fields.map((f) => `  ${f}: ${pick(r, ['string', 'number', 'boolean', 'string | null'])};`),
    '}',
    '',
    `export function ${C}({ id, title = '${C}', onSelect }: ${C}Props) {`,
    '  const [filter, setFilter] = useState(\'\');',
    `  const { data, isLoading } = useQuery({ queryKey: ['${name}', id], queryFn: () => fetch(\`/api/${name}/\${id}\`).then((r) => r.json() as Promise<${C}Row[]>) });`,
    `  const rows = useMemo(() => (data ?? []).filter((row) => JSON.stringify(row).includes(filter)), [data, filter]);`,
    '  const select = useCallback(() => onSelect?.(id), [id, onSelect]);',
    '  useEffect(() => {',
    `    document.title = \`\${title} (\${rows.length})\`;`,
    '  }, [title, rows.length]);',
    '  if (isLoading) return <div className="spinner" aria-busy="true" />;',
    '  return (',
    `    <section className="${name}">`,
    '      <header>',
    '        <h2 onClick={select}>{title}</h2>',
    '        <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter" />',
    '      </header>',
    '      <table>',
    '        <tbody>',
    '          {rows.map((row, i) => (',
    '            <tr key={i}>',
    ...fields.map((f) => `              <td>{String(row.${f})}</td>`),
    '            </tr>',
    '          ))}',
    '        </tbody>',
    '      </table>',
    '    </section>',
    '  );',
    '}',
    '',
  ];
  return out.join('\n');
}

function service(r: Rand, name: string): string {
  const C = cap(name);
  const out = [`import type { ${C}Options } from '../utils/${name}';`, '', `export type ${C}Id = string & { readonly __brand: '${C}Id' };`, ''];
  out.push(`export class ${C}Service {`, '  constructor(private readonly baseUrl: string, private readonly token: string) {}', '');
  for (let i = 0; i < int(r, 3, 10); i++) {
    const verb = pick(r, ['get', 'list', 'create', 'update', 'remove']);
    out.push(
      `  async ${verb}${i}(id: ${C}Id, body?: unknown): Promise<unknown> {`,
      `    const res = await fetch(\`\${this.baseUrl}/${name}/\${id}\`, {`,
      `      method: '${verb === 'get' || verb === 'list' ? 'GET' : verb === 'remove' ? 'DELETE' : 'POST'}',`,
      "      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },",
      '      body: body === undefined ? undefined : JSON.stringify(body),',
      '    });',
      `    if (!res.ok) throw new Error(\`${name} ${verb}: \${res.status}\`);`,
      '    return res.status === 204 ? undefined : res.json();',
      '  }',
      '',
    );
  }
  out.push('}', '', `export const defaults: ${C}Options = { limit: ${int(r, 10, 100)}, strict: ${r() < 0.5} };`, '');
  return out.join('\n');
}

function testFile(r: Rand, name: string): string {
  const out = ["import { describe, expect, it } from 'vitest';", `import * as subject from '../src/utils/${name}';`, '', `describe('${name}', () => {`];
  for (let i = 0; i < int(r, 3, 12); i++) {
    out.push(`  it('case ${i}', () => {`, `    const input = ${JSON.stringify(Array.from({ length: int(r, 1, 6) }, () => pick(r, WORDS)))};`, '    expect(Object.keys(subject).length).toBeGreaterThan(0);', `    expect(input.length).toBe(${'input.length'});`, '  });');
  }
  out.push('});', '');
  return out.join('\n');
}

function commonJsConfig(r: Rand, name: string): string {
  return [
    "'use strict';",
    "const path = require('node:path');",
    '',
    'module.exports = {',
    `  name: '${name}',`,
    `  port: ${int(r, 3000, 9000)},`,
    "  root: path.join(__dirname, '..'),",
    `  features: ${JSON.stringify(Array.from({ length: int(r, 1, 5) }, () => pick(r, WORDS)))},`,
    '  resolve(file) {',
    '    return path.resolve(this.root, file);',
    '  },',
    '};',
    '',
  ].join('\n');
}

/** Uses TensorFlow.js for tensors but builds no model: the analyzer parses it and finds nothing. */
function tfjsDataPipeline(r: Rand, name: string): string {
  return [
    "import * as tf from '@tensorflow/tfjs';",
    '',
    `export function normalize${cap(name)}(xs: tf.Tensor2D): tf.Tensor2D {`,
    '  return tf.tidy(() => {',
    '    const { mean, variance } = tf.moments(xs, 0);',
    `    return xs.sub(mean).div(variance.add(${(r() * 1e-3).toFixed(5)}).sqrt()) as tf.Tensor2D;`,
    '  });',
    '}',
    '',
    `export function batches${cap(name)}(data: number[][], size = ${int(r, 8, 256)}): tf.Tensor2D[] {`,
    '  const out: tf.Tensor2D[] = [];',
    '  for (let i = 0; i < data.length; i += size) out.push(tf.tensor2d(data.slice(i, i + size)));',
    '  return out;',
    '}',
    '',
  ].join('\n');
}

function torchModel(r: Rand, name: string): string {
  const widths = Array.from({ length: int(r, 3, 10) }, () => pick(r, [64, 128, 256, 512, 1024]));
  const act = pick(r, ['relu', 'tanh', 'gelu']);
  const init = pick(r, ['xavier_uniform_', 'kaiming_normal_', 'normal_']);
  const out = ['import torch', 'from torch import nn', '', '', `class ${cap(name)}(nn.Module):`, `    def __init__(self, d_in: int = ${widths[0]}, n_out: int = 10):`, '        super().__init__()'];
  let prev = 'd_in';
  widths.forEach((w, i) => {
    out.push(`        self.fc${i} = nn.Linear(${prev}, ${w})`);
    prev = String(w);
  });
  out.push(`        self.head = nn.Linear(${prev}, n_out)`, '        self.apply(self._init_weights)', '');
  out.push('    def _init_weights(self, m):', '        if isinstance(m, nn.Linear):');
  out.push(init === 'normal_' ? '            nn.init.normal_(m.weight, std=0.02)' : `            nn.init.${init}(m.weight)`, '            nn.init.zeros_(m.bias)', '');
  out.push('    def forward(self, x):');
  widths.forEach((_, i) => out.push(`        x = torch.${act}(self.fc${i}(x))`));
  out.push('        return self.head(x)', '');
  return out.join('\n');
}

function kerasModel(r: Rand): string {
  const n = int(r, 2, 8);
  const out = ['from tensorflow import keras', 'from tensorflow.keras import layers', '', '', 'def build(input_dim=784):', '    model = keras.Sequential([', '        keras.Input(shape=(input_dim,)),'];
  for (let i = 0; i < n; i++) {
    out.push(`        layers.Dense(${pick(r, [64, 128, 256])}, activation="${pick(r, ['relu', 'selu', 'tanh'])}", kernel_initializer="${pick(r, ['glorot_uniform', 'he_normal', 'lecun_normal'])}"),`);
  }
  out.push('        layers.Dense(10, activation="softmax"),', '    ])', '    return model', '');
  return out.join('\n');
}

export interface GeneratedRepo {
  root: string;
  /** Files initlens checks (all SCAN_FILES of them), by kind. */
  counts: Record<string, number>;
  /** The TypeScript and JavaScript files among them (what ESLint lints). */
  scriptFiles: number;
  bytes: number;
  lines: number;
  /** Folder patterns of the .gitignore (ESLint gets the same as `ignores`). */
  ignored: string[];
}

/** Writes the repository into `root` (which must exist and be empty). Deterministic. */
export function generateRepo(root: string, total = SCAN_FILES): GeneratedRepo {
  const r = rng(20240607);
  const counts: Record<string, number> = {};
  let bytes = 0;
  let lines = 0;
  let scriptFiles = 0;
  const write = (rel: string, text: string, kind?: string) => {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    if (!kind) return;
    counts[kind] = (counts[kind] ?? 0) + 1;
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length;
    if (!rel.endsWith('.py')) scriptFiles++;
  };
  const ignored = ['dist', 'build', 'coverage'];
  write('.gitignore', ['# build output', ...ignored.map((d) => `/${d}/`), '*.log', '.env', ''].join('\n'));
  write('package.json', JSON.stringify({ name: 'scan-fixture', private: true, type: 'commonjs' }, null, 2) + '\n');

  // The mix, per 2,000 files: 240 tfjs model files, 60 tfjs data-pipeline files, 100 Python model files
  // (PyTorch and Keras), and 1,600 files of unrelated code.
  const plan: [string, number][] = [
    ['tfjs-model', 0.12],
    ['tfjs-data', 0.03],
    ['python-model', 0.05],
    ['ts-utility', 0.3],
    ['tsx-component', 0.25],
    ['ts-service', 0.12],
    ['ts-test', 0.1],
    ['js-config', 0.03],
  ];
  const quota = plan.map(([kind, share]) => [kind, Math.round(share * total)] as [string, number]);
  quota[quota.length - 1][1] += total - quota.reduce((s, [, n]) => s + n, 0);
  const areas = ['core', 'admin', 'shop', 'analytics', 'auth', 'ml', 'platform', 'mobile'];
  let serial = 0;
  for (const [kind, n] of quota) {
    for (let i = 0; i < n; i++) {
      const name = `${pick(r, WORDS)}${serial++}`;
      const area = `packages/${pick(r, areas)}`;
      switch (kind) {
        case 'tfjs-model':
          write(`${area}/src/models/${name}.ts`, generateModelFile(pick(r, [80, 80, 160, 240, 400])), kind);
          break;
        case 'tfjs-data':
          write(`${area}/src/data/${name}.ts`, tfjsDataPipeline(r, name), kind);
          break;
        case 'python-model':
          write(`ml/${pick(r, ['vision', 'nlp', 'tabular'])}/${name}.py`, r() < 0.6 ? torchModel(r, name) : kerasModel(r), kind);
          break;
        case 'ts-utility':
          write(`${area}/src/utils/${name}.ts`, utilityModule(r, name), kind);
          break;
        case 'tsx-component':
          write(`${area}/src/components/${cap(name)}.tsx`, component(r, name), kind);
          break;
        case 'ts-service':
          write(`${area}/src/services/${name}.ts`, service(r, name), kind);
          break;
        case 'ts-test':
          write(`${area}/test/${name}.test.ts`, testFile(r, name), kind);
          break;
        case 'js-config':
          write(`${area}/config/${name}.config.js`, commonJsConfig(r, name), kind);
          break;
      }
    }
  }
  // Ignored output the walk must skip (and not count): a build folder and a node_modules.
  for (let i = 0; i < 50; i++) write(`dist/chunk-${i}.js`, `"use strict";var a${i}=require("./chunk-${(i + 1) % 50}.js");module.exports=a${i};\n`);
  for (let i = 0; i < 20; i++) write(`node_modules/some-lib/lib/file${i}.js`, `module.exports = ${i};\n`);
  return { root, counts, scriptFiles, bytes, lines, ignored };
}

// ---------------------------------------------------------------------------------------------------------------
// Running a tool as a child process.

/** Preloaded into each child (--require): writes its resource usage (whole process, every thread) when it exits. */
const USAGE_PRELOAD = `'use strict';
const out = process.env.SCAN_BENCH_USAGE_FILE;
if (out) process.on('exit', () => require('node:fs').writeFileSync(out, JSON.stringify(process.resourceUsage())));
`;

export interface Measured {
  wallMs: number;
  /** Peak resident set of the child process, MB (getrusage ru_maxrss). */
  maxRssMB: number;
  /** User + system CPU time of the child, all threads, ms. */
  cpuMs: number;
  status: number | null;
}

function runChild(args: string[], cwd: string, preload: string, usageFile: string): Measured {
  rmSync(usageFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', SCAN_BENCH_USAGE_FILE: usageFile, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - t0;
  if (r.error) throw r.error;
  if (!existsSync(usageFile)) throw new Error(`${args.join(' ')}: the child wrote no resource usage (status ${r.status}): ${r.stderr.slice(0, 2000)}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage;
  return { wallMs, maxRssMB: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, status: r.status };
}

/** dist/cli.js as `node esbuild.js` builds it: built when missing or older than a file under src/. */
function ensureBundle(): { built: boolean } {
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return t;
  };
  if (existsSync(CLI_BUNDLE) && statSync(CLI_BUNDLE).mtimeMs >= newest(path.join(REPO, 'src'))) return { built: false };
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node esbuild.js failed: ${r.stderr}`);
  return { built: true };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface ScanRow {
  tool: string;
  command: string;
  files: number;
  runs: number;
  wallMs: { median: number; min: number; all: number[] };
  filesPerSecond: number;
  maxRssMB: number;
  cpuMs: number;
  status: number | null;
}

// ---------------------------------------------------------------------------------------------------------------

export async function runScanBench(options: { runs?: number; keep?: boolean; log?: (line: string) => void } = {}): Promise<object> {
  const runs = options.runs ?? Math.max(1, Number(process.env.SCAN_RUNS ?? 3) || 3);
  const log = options.log ?? (() => {});
  const bundle = ensureBundle();
  const work = mkdtempSync(path.join(os.tmpdir(), 'initlens-scan-'));
  try {
    const root = path.join(work, 'repo');
    mkdirSync(root);
    const repo = generateRepo(root);
    log(`generated ${SCAN_FILES} files in ${root} (${repo.lines.toLocaleString('en-US')} lines, ${(repo.bytes / 1e6).toFixed(1)} MB)`);
    const preload = path.join(work, 'usage-preload.cjs');
    writeFileSync(preload, USAGE_PRELOAD);
    const usageFile = path.join(work, 'usage.json');

    // ESLint: flat config outside the repository; the parser is resolved from InitLens' node_modules.
    const eslintConfig = path.join(work, 'eslint.config.cjs');
    writeFileSync(
      eslintConfig,
      `'use strict';
const parser = require(${JSON.stringify(require.resolve('@typescript-eslint/parser'))});
module.exports = [
  { ignores: ${JSON.stringify(repo.ignored.map((d) => `${d}/**`))} },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    languageOptions: { parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: { 'no-debugger': 'error', eqeqeq: 'error' },
  },
];
`,
    );

    const outputs: Record<string, string> = {};
    const configs = [
      { id: 'initlens-j1', tool: 'initlens --jobs 1', args: [CLI_BUNDLE, 'check', '.', '--jobs', '1', '--format', 'json', '--output-file'] },
      { id: 'initlens-j2', tool: 'initlens --jobs 2', args: [CLI_BUNDLE, 'check', '.', '--jobs', '2', '--format', 'json', '--output-file'] },
      { id: 'eslint-c1', tool: 'eslint (1 thread)', args: [ESLINT_BIN, '--config', eslintConfig, '--concurrency', 'off', '--format', 'json', '--output-file'], eslint: true },
      { id: 'eslint-c2', tool: 'eslint --concurrency 2', args: [ESLINT_BIN, '--config', eslintConfig, '--concurrency', '2', '--format', 'json', '--output-file'], eslint: true },
    ];
    const samples = new Map<string, Measured[]>(configs.map((c) => [c.id, []]));
    for (let run = 0; run < runs; run++) {
      for (const c of configs) {
        const out = path.join(work, `${c.id}.json`);
        const args = c.eslint ? [...c.args, out, '.'] : [...c.args, out];
        const m = runChild(args, root, preload, usageFile);
        samples.get(c.id)!.push(m);
        outputs[c.id] = readFileSync(out, 'utf8');
        log(`  ${c.tool.padEnd(24)} run ${run + 1}/${runs}: ${(m.wallMs / 1000).toFixed(2)} s, ${m.maxRssMB.toFixed(0)} MB, exit ${m.status}`);
      }
    }

    const countFiles = (id: string): number => (JSON.parse(outputs[id]) as unknown[]).length;
    const rows: ScanRow[] = configs.map((c) => {
      const ms = samples.get(c.id)!;
      const walls = ms.map((m) => m.wallMs);
      const files = countFiles(c.id);
      const wall = median(walls);
      return {
        tool: c.tool,
        command: `node ${path.relative(REPO, c.args[0])} ${c.args.slice(1, -1).map((a) => (a === eslintConfig ? 'eslint.config.cjs' : a)).join(' ')}${c.eslint ? ' .' : ''}`,
        files,
        runs: ms.length,
        wallMs: { median: round(wall), min: round(Math.min(...walls)), all: walls.map(round) },
        filesPerSecond: round(files / (wall / 1000)),
        maxRssMB: round(Math.max(...ms.map((m) => m.maxRssMB))),
        cpuMs: round(median(ms.map((m) => m.cpuMs))),
        status: ms[ms.length - 1].status,
      };
    });
    const by = (tool: string) => rows.find((r) => r.tool === tool)!;
    const j1 = by('initlens --jobs 1');
    const j2 = by('initlens --jobs 2');
    const e1 = by('eslint (1 thread)');
    const e2 = by('eslint --concurrency 2');

    // The initlens startup floor: load the bundle and print the version.
    const startup = median(Array.from({ length: 3 }, () => runChild([CLI_BUNDLE, '--version'], root, preload, usageFile).wallMs));

    return {
      machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, availableParallelism: os.availableParallelism(), loadAverage1m: round(os.loadavg()[0]), node: process.version, date: new Date().toISOString() },
      method:
        'child processes; wall time spawn-to-exit (median of runs, configurations interleaved); peak memory = child maxRSS from process.resourceUsage() written at exit by a --require preload (covers worker threads)',
      bundle: { path: 'dist/cli.js', rebuilt: bundle.built },
      repository: { files: SCAN_FILES, byKind: repo.counts, scriptFiles: repo.scriptFiles, lines: repo.lines, megabytes: round(repo.bytes / 1e6), ignoredFolders: repo.ignored },
      rows,
      initlensStartupMs: round(startup),
      scaling: {
        speedupJobs2: round(j1.wallMs.median / j2.wallMs.median),
        memoryJobs2OverJobs1: round(j2.maxRssMB / j1.maxRssMB),
        identicalOutput: outputs['initlens-j1'] === outputs['initlens-j2'],
      },
      eslint: {
        version: (JSON.parse(readFileSync(path.join(REPO, 'node_modules', 'eslint', 'package.json'), 'utf8')) as { version: string }).version,
        parser: `@typescript-eslint/parser ${(JSON.parse(readFileSync(path.join(REPO, 'node_modules', '@typescript-eslint', 'parser', 'package.json'), 'utf8')) as { version: string }).version}`,
        rules: ['no-debugger', 'eqeqeq'],
        files: e1.files,
        /** initlens files/s over ESLint files/s, one thread each (ESLint's files are the .ts/.tsx/.js subset). */
        ratioFilesPerSecond: round(j1.filesPerSecond / e1.filesPerSecond),
        ratioFilesPerSecondTwoThreads: round(j2.filesPerSecond / e2.filesPerSecond),
      },
    };
  } finally {
    if (!options.keep && !process.env.SCAN_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function printTable(result: Record<string, unknown>): void {
  const r = result as {
    machine: { cpu: string; cores: number; loadAverage1m: number; node: string };
    repository: { files: number; byKind: Record<string, number>; scriptFiles: number; lines: number };
    rows: ScanRow[];
    initlensStartupMs: number;
    scaling: { speedupJobs2: number; memoryJobs2OverJobs1: number; identicalOutput: boolean };
    eslint: { version: string; parser: string; ratioFilesPerSecond: number; ratioFilesPerSecondTwoThreads: number };
  };
  console.log(`\nworkspace scan (${r.machine.cpu}, ${r.machine.cores} cores, load ${r.machine.loadAverage1m}, node ${r.machine.node})`);
  console.log(`repository: ${r.repository.files} files, ${r.repository.lines.toLocaleString('en-US')} lines: ${Object.entries(r.repository.byKind).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  console.log(`ESLint ${r.eslint.version} with ${r.eslint.parser} (no type information), rules no-debugger and eqeqeq, on the ${r.repository.scriptFiles} .ts/.tsx/.js files\n`);
  console.log('tool'.padEnd(26), 'files'.padStart(6), 'wall s'.padStart(8), 'min s'.padStart(7), 'files/s'.padStart(8), 'CPU s'.padStart(7), 'max RSS MB'.padStart(11));
  for (const row of r.rows) {
    console.log(
      row.tool.padEnd(26),
      String(row.files).padStart(6),
      (row.wallMs.median / 1000).toFixed(2).padStart(8),
      (row.wallMs.min / 1000).toFixed(2).padStart(7),
      row.filesPerSecond.toFixed(0).padStart(8),
      (row.cpuMs / 1000).toFixed(2).padStart(7),
      row.maxRssMB.toFixed(0).padStart(11),
    );
  }
  console.log(`\ninitlens start-up (--version): ${r.initlensStartupMs.toFixed(0)} ms`);
  console.log(`--jobs 2 vs --jobs 1: ×${r.scaling.speedupJobs2} speed, ×${r.scaling.memoryJobs2OverJobs1} peak memory, identical output: ${r.scaling.identicalOutput}`);
  console.log(`initlens files/s ÷ ESLint files/s: ${r.eslint.ratioFilesPerSecond} (one thread each), ${r.eslint.ratioFilesPerSecondTwoThreads} (two threads each)`);
}

if (require.main === module) {
  runScanBench({ log: (line) => console.log(line) })
    .then((result) => printTable(result as Record<string, unknown>))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
