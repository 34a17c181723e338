import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzerEnabled, checkOptionsOf, DEFAULT_SETTINGS, getterOf, optionsKey, readSettings } from '../../src/extension/logic/settings';
import { check } from './helpers';

test('defaults: everything on, the engine\'s own defaults, no options passed', () => {
  const { settings, warnings } = readSettings(() => undefined);
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.deepEqual(warnings, []);
  assert.deepEqual(checkOptionsOf(settings), {});
});

test('VS Code values are read and validated, with a warning per ignored value', () => {
  const { settings, warnings } = readSettings(
    getterOf({
      enable: true,
      run: 'onSave',
      rules: { 'relu-needs-he': 'off', 'vanishing-signal': 'error', 'fixed-scale': 'warn', 'not-a-rule': 'error', 'symmetric-init': 'loud' },
      frameworks: ['tfjs', 'caffe'],
      input: { mean: 0.5, std: 0.29 },
      thresholds: { vanishing: 0.001, exploding: -3 },
      'fixAll.includeInitializerSwaps': true,
      'timeBudget.onValidation': { warn: 100, error: 50 },
      trace: 'verbose',
    }),
  );
  assert.equal(settings.run, 'onSave');
  assert.deepEqual(settings.rules, { 'relu-needs-he': 'off', 'vanishing-signal': 'error', 'fixed-scale': 'warning' });
  assert.deepEqual(settings.frameworks, ['tfjs']);
  assert.deepEqual(settings.input, { mean: 0.5, std: 0.29 });
  assert.deepEqual(settings.thresholds, { vanishing: 0.001, exploding: 100 });
  assert.equal(settings.fixAll.includeInitializerSwaps, true);
  assert.deepEqual(settings.timeBudget, { warn: 100, error: 100 });
  assert.equal(settings.trace, 'verbose');
  assert.equal(warnings.length, 4, warnings.join('\n'));
  assert.match(warnings.join('\n'), /unknown rule 'not-a-rule'/);
  assert.match(warnings.join('\n'), /symmetric-init: expected off, info, warning or error, got "loud"/);
  assert.match(warnings.join('\n'), /unknown analyzer "caffe"/);
  assert.match(warnings.join('\n'), /exploding: expected a number above 0/);
});

test('bad types fall back to the defaults', () => {
  const { settings, warnings } = readSettings(getterOf({ enable: 'yes', run: 'sometimes', rules: 'all', input: { std: 0 }, thresholds: { vanishing: 10, exploding: 5 } }));
  assert.equal(settings.enable, true);
  assert.equal(settings.run, 'onType');
  assert.deepEqual(settings.rules, {});
  assert.deepEqual(settings.input, { mean: 0, std: 1 });
  assert.deepEqual(settings.thresholds, DEFAULT_SETTINGS.thresholds);
  assert.equal(warnings.length, 5, warnings.join('\n'));
});

test('settings reach the engine: rule severities, thresholds and the input assumption change its output', () => {
  const base = check('mnist-mlp-default-init.ts');
  assert.ok(base.report.findings.some((f) => f.ruleId === 'relu-needs-he'));

  const off = readSettings(getterOf({ rules: { 'relu-needs-he': 'off', 'vanishing-signal': 'error' } })).settings;
  const r = check('mnist-mlp-default-init.ts', checkOptionsOf(off)).report;
  assert.ok(!r.findings.some((f) => f.ruleId === 'relu-needs-he'));
  assert.equal(r.findings.find((f) => f.ruleId === 'vanishing-signal')?.severity, 'error');

  const lax = readSettings(getterOf({ thresholds: { vanishing: 1e-4, exploding: 1e4 } })).settings;
  assert.ok(!check('mnist-mlp-default-init.ts', checkOptionsOf(lax)).report.findings.some((f) => f.ruleId === 'vanishing-signal'));

  const scaled = readSettings(getterOf({ input: { mean: 0, std: 2 } })).settings;
  const ratio = check('mnist-mlp-default-init.ts', checkOptionsOf(scaled)).report.models[0].prediction.layers[1].input.estimate;
  assert.equal(ratio, 4);
  assert.notEqual(optionsKey(scaled), optionsKey(DEFAULT_SETTINGS));
  // Turning the extension or an analyzer off must not leave a cached report standing (test/e2e: initlens.enable).
  assert.notEqual(optionsKey({ ...DEFAULT_SETTINGS, enable: false }), optionsKey(DEFAULT_SETTINGS));
  assert.notEqual(optionsKey({ ...DEFAULT_SETTINGS, frameworks: ['tfjs'] }), optionsKey(DEFAULT_SETTINGS));
});

test('frameworks: undefined runs every analyzer, a list only those', () => {
  assert.ok(analyzerEnabled(DEFAULT_SETTINGS, 'tfjs'));
  assert.ok(!analyzerEnabled({ ...DEFAULT_SETTINGS, frameworks: [] }, 'tfjs'));
  assert.ok(!analyzerEnabled(DEFAULT_SETTINGS, undefined));
});
