/**
 * Keystroke-to-diagnostics latency in a real VS Code (code-server 1.139 from npm, the packaged extension): one
 * run of bench/editor/latency.suite.ts through the e2e harness, 30 keystrokes per file, on the example model and
 * on a generated 1,000-line file. A benchmark: it prints medians and p95 and asserts nothing. The extension's
 * debounce (the time it waits for typing to pause) is part of the figure, as the user sees it.
 *
 *   node --import tsx bench/editor-latency.ts      (after npm run package)
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInHostSuite } from '../test/e2e/harness';
import { generateModelFile } from './lint-latency';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const ws = join(mkdtempSync(join(tmpdir(), 'initlens-bench-')), 'ws');
  cpSync(join(root, 'examples', 'mnist-mlp-default-init.ts'), join(ws, 'mnist-mlp-default-init.ts'));
  writeFileSync(join(ws, 'generated-1000.ts'), generateModelFile(1000));
  const out = join(ws, '..', 'latency.json');
  const run = await runInHostSuite({
    suiteEntry: join(__dirname, 'editor', 'latency.suite.ts'),
    workspace: ws,
    vsix: [join(root, 'initlens.vsix')],
    env: { INITLENS_BENCH_OUT: out, INITLENS_BENCH_FILES: 'mnist-mlp-default-init.ts,generated-1000.ts' },
    testTimeoutMs: 300_000,
    timeoutMs: 600_000,
  });
  const failed = run.results.filter((r) => !r.ok);
  if (failed.length) throw new Error(failed.map((f) => f.error).join('\n'));
  const data = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number[]>;
  const rows = Object.entries(data).map(([file, xs]) => ({ file, n: xs.length, medianMs: quantile(xs, 0.5), p95Ms: quantile(xs, 0.95) }));
  console.log('keystroke-to-diagnostics latency in code-server (edit → diagnostics changed; debounce included)');
  for (const r of rows) console.log(`${r.file.padEnd(28)} n=${r.n}  median ${r.medianMs.toFixed(0)} ms  p95 ${r.p95Ms.toFixed(0)} ms`);
  writeFileSync(join(__dirname, 'editor-latency.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
