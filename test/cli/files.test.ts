import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { collectFiles, displayPath } from '../../src/cli/files';
import { tree } from './helpers';

// The engine's rule, restated so the walk is tested on its own.
const isCheckable = (f: string) => /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(f) && !f.endsWith('.d.ts');

async function collect(root: string, operands: string[], cwd = root) {
  const { files, notices } = await collectFiles(operands, cwd, isCheckable);
  return { files: files.map((f) => displayPath(f, cwd)), notices };
}

const TS = 'export const x = 1;\n';

function project(): string {
  return tree({
    '.gitignore': 'build/\n*.gen.ts\n',
    'src/a.ts': TS,
    'src/b.js': TS,
    'src/types.d.ts': TS,
    'src/notes.md': '# notes\n',
    'src/.gitignore': 'secret.ts\n!keep.gen.ts\n/local.ts\n',
    'src/secret.ts': TS,
    'src/keep.gen.ts': TS,
    'src/x.gen.ts': TS,
    'src/local.ts': TS,
    'src/deep/local.ts': TS,
    'src/deep/.gitignore': '*.js\n',
    'src/deep/skip.js': TS,
    'build/out.js': TS,
    'node_modules/pkg/index.js': TS,
    'src/node_modules/inner/index.ts': TS,
    '.git/hooks/pre-commit.js': TS,
    'top.mjs': TS,
  });
}

describe('collectFiles: walking folders', () => {
  test('honours root and nested .gitignore files (negation, anchoring) and skips node_modules and .git', async () => {
    const root = project();
    const { files, notices } = await collect(root, ['.']);
    assert.deepEqual(files, ['src/a.ts', 'src/b.js', 'src/deep/local.ts', 'src/keep.gen.ts', 'top.mjs']);
    assert.deepEqual(notices, []);
  });

  test('a subfolder still gets the .gitignore files above it', async () => {
    const root = project();
    const { files } = await collect(root, ['src']);
    assert.deepEqual(files, ['src/a.ts', 'src/b.js', 'src/deep/local.ts', 'src/keep.gen.ts']);
  });

  test('.gitignore files apply from the git root even when run from a subfolder', async () => {
    const root = tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'generated/\n', 'app/generated/m.ts': TS, 'app/m.ts': TS });
    const cwd = path.join(root, 'app');
    const { files } = await collect(root, ['.'], cwd);
    assert.deepEqual(files, ['m.ts']);
  });

  test('a file named on the command line is checked even if a .gitignore lists it', async () => {
    const root = project();
    const { files, notices } = await collect(root, ['src/secret.ts', 'build/out.js']);
    assert.deepEqual(files, ['src/secret.ts', 'build/out.js']);
    assert.deepEqual(notices, []);
  });

  test('a folder named on the command line is walked even if a .gitignore above ignores it', async () => {
    const root = project();
    const { files } = await collect(root, ['build']);
    assert.deepEqual(files, ['build/out.js']);
  });

  test('each file once, whatever the operands', async () => {
    const root = project();
    const { files, notices } = await collect(root, ['src', 'src/a.ts', './src/../src/b.js', 'src']);
    assert.deepEqual(files, ['src/a.ts', 'src/b.js', 'src/deep/local.ts', 'src/keep.gen.ts']);
    assert.deepEqual(notices, []);
  });

  test('a symbolic-link loop is reported once and not followed; the other files are still found', async () => {
    const root = tree({
      'a/m.ts': TS,
      'a/loop': { symlink: '..' },
      'a/b/up': { symlink: '../../a' },
      'a/self.ts': { symlink: 'self.ts' },
      'z.ts': TS,
    });
    const { files, notices } = await collect(root, ['.']);
    assert.deepEqual(files, ['a/m.ts', 'z.ts']);
    assert.ok(notices.length >= 2, JSON.stringify(notices));
    for (const n of notices) {
      assert.match(n.message, /symbolic link loop/);
      assert.equal(n.fatal, false);
    }
    assert.ok(notices.some((n) => n.path === 'a/self.ts'));
    assert.ok(notices.some((n) => n.path === 'a/loop' || n.path === 'a/b/up'));
  });

  test('a link to a folder outside the loop is followed once', async () => {
    const root = tree({ 'real/m.ts': TS, 'alias': { symlink: 'real' } });
    const { files, notices } = await collect(root, ['.']);
    assert.equal(files.length, 1);
    assert.deepEqual(notices, []);
  });

  test('a broken link with a checkable name is said, not fatal', async () => {
    const root = tree({ 'gone.ts': { symlink: 'nowhere.ts' }, 'm.ts': TS });
    const { files, notices } = await collect(root, ['.']);
    assert.deepEqual(files, ['m.ts']);
    assert.deepEqual(notices, [{ path: 'gone.ts', message: 'broken symbolic link: skipped', fatal: false }]);
  });
});

describe('collectFiles: paths and globs', () => {
  test('a missing path is fatal for itself only: the other paths are still collected', async () => {
    const root = project();
    const { files, notices } = await collect(root, ['nope', 'src/a.ts', 'src/nope.ts']);
    assert.deepEqual(files, ['src/a.ts']);
    assert.deepEqual(notices, [
      { path: 'nope', message: 'no such file or folder', fatal: true },
      { path: 'src/nope.ts', message: 'no such file or folder', fatal: true },
    ]);
  });

  test('a path through a file is explained', async () => {
    const root = project();
    const { notices } = await collect(root, ['src/a.ts/x.ts']);
    assert.deepEqual(notices, [{ path: 'src/a.ts/x.ts', message: 'no such file or folder (a part of the path is a file)', fatal: true }]);
  });

  test('globs expand with tinyglobby, honour .gitignore, skip node_modules, and keep checkable files only', async () => {
    const root = project();
    const { files, notices } = await collect(root, ['src/**/*', '**/index.ts']);
    assert.deepEqual(files, ['src/a.ts', 'src/b.js', 'src/deep/local.ts', 'src/keep.gen.ts']);
    assert.deepEqual(notices, [{ path: '**/index.ts', message: 'no files match this pattern', fatal: true }]);
  });

  test('a glob matching only ignored or unsupported files says so', async () => {
    const root = project();
    const { files, notices } = await collect(root, ['src/*.md', 'src/x.*']);
    assert.deepEqual(files, []);
    assert.deepEqual(
      notices.map((n) => [n.path, n.fatal]),
      [
        ['src/*.md', true],
        ['src/x.*', true],
      ],
    );
    assert.match(notices[0].message, /^no checkable files match this pattern/);
  });

  test('an existing file whose name looks like a glob is a file, not a pattern', async () => {
    const root = tree({ 'model[1].ts': TS });
    const { files } = await collect(root, ['model[1].ts']);
    assert.deepEqual(files, ['model[1].ts']);
  });

  test('an unsupported file named on the command line, and a folder without checkable files, are said but not fatal', async () => {
    const root = tree({ 'README.md': '# x\n', 'docs/guide.md': '# y\n' });
    const { files, notices } = await collect(root, ['README.md', 'docs']);
    assert.deepEqual(files, []);
    assert.deepEqual(notices, [
      { path: 'README.md', message: 'not a file type initlens checks: skipped', fatal: false },
      { path: 'docs', message: 'no checkable files in this folder (after .gitignore)', fatal: false },
    ]);
  });

  test('paths outside the working directory are shown absolute', async () => {
    const root = project();
    const cwd = path.join(root, 'src', 'deep');
    const { files } = await collect(root, [path.join(root, 'top.mjs'), '../a.ts'], cwd);
    assert.deepEqual(files, [path.join(root, 'top.mjs'), '../a.ts'.replace('../a.ts', path.join(root, 'src', 'a.ts'))]);
  });
});
