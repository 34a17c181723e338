import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration } from '../../src/core/format';
import { statusView } from '../../src/extension/logic/status';
import { decodeUtf8, excludeGlobOf, workspaceSummaryText } from '../../src/extension/logic/workspace';
import { check } from './helpers';

const budget = { warn: 4000, error: 8000 };

test('status: models, findings, time; skipped documents say why', () => {
  const { report } = check('mnist-mlp-default-init.ts');
  const v = statusView({ report, durationMs: 12.4, budget });
  assert.equal(v.text, 'InitLens: 1 model, 9 findings');
  assert.equal(v.detail, 'tfjs · checked in 12 ms');
  assert.equal(v.severity, 'information');
  assert.deepEqual(statusView({ skipped: 'no tfjs model here', budget }), { text: 'InitLens', detail: 'no tfjs model here', severity: 'information', busy: false });
  assert.equal(statusView({ budget, busy: true }).detail, 'checking…');
});

test('status: over the time budget warns, then errs; internal errors err', () => {
  const { report } = check('mnist-mlp-he.ts');
  assert.equal(statusView({ report, durationMs: 4500, budget }).severity, 'warning');
  const slow = statusView({ report, durationMs: 9000, budget });
  assert.equal(slow.severity, 'error');
  assert.match(slow.detail, /over the 8\.0 s budget: consider "initlens.run": "onSave"/);
  const broken = statusView({ report: { ...report, problems: [{ message: 'internal error in rule x: boom' }] }, durationMs: 1, budget });
  assert.equal(broken.severity, 'error');
  assert.match(broken.detail, /1 internal error: see the output/);
  const limited = statusView({ report: { ...report, problems: [{ message: "Syntax error: ',' expected." }] }, durationMs: 1, budget });
  assert.equal(limited.severity, 'information');
  assert.match(limited.detail, /analysis limited \(1 problem\)/);
  assert.equal(formatDuration(0.2), '<1 ms');
  assert.equal(formatDuration(1234), '1.2 s');
});

test('workspace exclude glob: always node_modules and build output, plus files.exclude and search.exclude entries set to true', () => {
  const glob = excludeGlobOf([{ '**/.DS_Store': true, '**/tmp': false, '**/gen': { when: '$(basename).ts' } }, { '**/bower_components': true, 'vendor/': true }]);
  assert.ok(glob.startsWith('{') && glob.endsWith('}'));
  const parts = glob.slice(1, -1).split(',');
  for (const p of ['**/node_modules', '**/node_modules/**', '**/.DS_Store', '**/bower_components/**', 'vendor', 'vendor/**']) assert.ok(parts.includes(p), p);
  assert.ok(!parts.includes('**/tmp'));
  assert.ok(!parts.some((p) => p.includes('gen')));
  assert.equal(excludeGlobOf([], ['**/node_modules']), '{**/node_modules,**/node_modules/**}');
});

test('UTF-8 decoding: BOM dropped, invalid bytes refused', () => {
  assert.equal(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 'a');
  assert.equal(decodeUtf8(new TextEncoder().encode('×0.39')), '×0.39');
  assert.equal(decodeUtf8(new Uint8Array([0xff, 0xfe, 0x00])), undefined);
});

test('workspace summary text', () => {
  assert.equal(
    workspaceSummaryText({ files: 14, checked: 13, models: 14, findings: 40, skipped: 1, cancelled: false, ms: 300 }),
    'InitLens checked 13 files: 14 models, 40 findings, 1 skipped (see the output).',
  );
  assert.equal(
    workspaceSummaryText({ files: 14, checked: 2, models: 1, findings: 1, skipped: 0, cancelled: true, ms: 300 }),
    'InitLens: check cancelled after 2 files: 1 model, 1 finding.',
  );
});
