import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { formatBytes, MAX_FILE_BYTES, readSource } from '../../src/cli/read';
import { tree } from './helpers';

describe('readSource', () => {
  test('reads UTF-8 text, dropping a byte-order mark', () => {
    const root = tree({
      'plain.ts': 'const µ = "ünïcödé ✓";\n',
      'bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('const a = 1;\n')]),
    });
    assert.deepEqual(readSource(path.join(root, 'plain.ts')), { ok: true, text: 'const µ = "ünïcödé ✓";\n' });
    assert.deepEqual(readSource(path.join(root, 'bom.ts')), { ok: true, text: 'const a = 1;\n' });
  });

  test('a non-UTF-8 file is skipped, saying where the first bad byte is', () => {
    // Latin-1 "é" (0xE9) in the middle of ASCII.
    const root = tree({
      'latin1.ts': Buffer.from([...Buffer.from('// menu\nconst caf'), 0xe9, ...Buffer.from(' = 1;\n')]),
      'stray.ts': Buffer.from([...Buffer.from('ok'), 0x80, ...Buffer.from('\n')]),
    });
    assert.deepEqual(readSource(path.join(root, 'latin1.ts')), {
      ok: false,
      message: 'skipped: not valid UTF-8 (first bad byte on line 2, byte offset 17)',
      fatal: false,
    });
    assert.deepEqual(readSource(path.join(root, 'stray.ts')), {
      ok: false,
      message: 'skipped: not valid UTF-8 (first bad byte on line 1, byte offset 2)',
      fatal: false,
    });
  });

  test('a binary file (NUL bytes) is skipped', () => {
    const root = tree({ 'blob.js': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]) });
    assert.deepEqual(readSource(path.join(root, 'blob.js')), { ok: false, message: 'skipped: binary file (contains NUL bytes)', fatal: false });
  });

  test('a file over the size cap is skipped, with both sizes', () => {
    const root = tree({ 'big.js': Buffer.alloc(MAX_FILE_BYTES + 1, 0x20), 'small.js': 'x'.repeat(2048) });
    assert.deepEqual(readSource(path.join(root, 'big.js')), { ok: false, message: 'skipped: 5 MB, larger than the 5 MB limit', fatal: false });
    assert.deepEqual(readSource(path.join(root, 'small.js'), 1024), { ok: false, message: 'skipped: 2 KB, larger than the 1 KB limit', fatal: false });
    assert.equal(readSource(path.join(root, 'small.js'), 2048).ok, true, 'exactly at the cap is read');
  });

  test('a missing or unreadable file is fatal', { skip: process.getuid?.() === 0 ? 'root can read anything' : false }, () => {
    const root = tree({ 'locked.ts': 'x' });
    chmodSync(path.join(root, 'locked.ts'), 0o000);
    assert.deepEqual(readSource(path.join(root, 'locked.ts')), { ok: false, message: 'cannot read this file: permission denied', fatal: true });
  });

  test('a file that vanished is fatal', () => {
    const root = tree({});
    assert.deepEqual(readSource(path.join(root, 'gone.ts')), { ok: false, message: 'no such file or folder', fatal: true });
  });

  test('formatBytes', () => {
    assert.equal(formatBytes(12), '12 bytes');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(5 * 1024 * 1024), '5 MB');
    assert.equal(formatBytes(12.34 * 1024 * 1024), '12.3 MB');
  });
});
