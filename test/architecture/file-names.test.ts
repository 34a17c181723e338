/**
 * One naming convention for files: TypeScript and JavaScript files are kebab-case (`syntax-damage.ts`,
 * `torch-runtime.ts`, `check-worker.ts`: lower-case words joined by '-', as the rule ids are), Python files
 * snake_case (PEP 8: an example must be importable as a module). A suffix such as `.test`, `.e2e`, `.suite`,
 * `.cases`, `.browser` or `.bench` keeps its dot. Checked over every file git tracks, so a new file that breaks the
 * convention fails here.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.join(__dirname, '..', '..');

const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);

/** The name before the extension and its dotted suffixes: `session.test.ts` → `session`. */
const stem = (file: string) => path.basename(file).split('.')[0];

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SNAKE = /^[a-z0-9]+(_[a-z0-9]+)*$/;

test('TypeScript and JavaScript files are kebab-case, Python files snake_case', () => {
  const scripts = tracked.filter((f) => /\.(ts|tsx|js|mjs|cjs)$/.test(f));
  const python = tracked.filter((f) => f.endsWith('.py'));
  assert.ok(scripts.length > 100 && python.length > 5, `${scripts.length} scripts, ${python.length} Python files tracked`);
  assert.deepEqual(scripts.filter((f) => !KEBAB.test(stem(f))), []);
  assert.deepEqual(python.filter((f) => !SNAKE.test(stem(f))), []);
});

test('the patterns tell the conventions apart', () => {
  for (const ok of ['syntax-damage', 'check-worker', 'main', 'conv2d']) assert.match(ok, KEBAB);
  for (const bad of ['syntaxDamage', 'checkWorker', 'torch_runtime', 'Interp', '-x', 'a--b']) assert.doesNotMatch(bad, KEBAB);
  for (const ok of ['gpt_block', 'mlp', 'torch_forward']) assert.match(ok, SNAKE);
  for (const bad of ['cli-screenshot', 'gptBlock']) assert.doesNotMatch(bad, SNAKE);
});
