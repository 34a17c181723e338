/**
 * The extension's logic on PyTorch code (the Python analyzer): diagnostics, Python suppression comments written by
 * the disable actions and honoured by the engine, quick fixes, hover and CodeLens. Skipped while no analyzer claims
 * `.py`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANALYZERS } from '../../src/engine/languages';
import { modelLenses } from '../../src/extension/logic/codelens';
import { diagnosticsOf } from '../../src/extension/logic/diagnostics';
import { disableFileEdit, disableLineEdit } from '../../src/extension/logic/disable';
import { applyEdits } from '../../src/engine/edits';
import { quickFixesOf } from '../../src/extension/logic/fixes';
import { commentStyleOf } from '../../src/extension/logic/languages';
import { layerAt, layerHoverMarkdown } from '../../src/extension/logic/hover';
import { checkSource, REPOSITORY, TORCH_MODELS } from './helpers';

const skip = !ANALYZERS.some((a) => a.extensions.includes('.py')) && 'no Python analyzer';


test('PyTorch: diagnostics with codes and links', { skip }, () => {
  const report = checkSource(TORCH_MODELS, 'model.py');
  const data = diagnosticsOf(report, REPOSITORY);
  assert.ok(data.some((d) => d.ruleId === 'relu-needs-he'));
  assert.ok(data.every((d) => !d.ruleId || d.href === `https://github.com/initlens/initlens/blob/main/docs/rules/${d.ruleId}.md`));
});

test('PyTorch: every finding disabled for its line with a Python comment, and for the file', { skip }, () => {
  const report = checkSource(TORCH_MODELS, 'model.py');
  assert.equal(commentStyleOf('model.py'), 'python');
  assert.ok(report.findings.length >= 2);
  for (const f of report.findings) {
    const edit = disableLineEdit(TORCH_MODELS, f.span.start, f.ruleId, 'python');
    assert.match(edit.newText, /^\s*# initlens: disable=[a-z-]+\n$/);
    const after = checkSource(applyEdits(TORCH_MODELS, [edit]), 'model.py');
    assert.ok(!after.findings.some((g) => g.ruleId === f.ruleId && g.message === f.message), `${f.ruleId} not suppressed`);
    assert.equal(after.models.length, report.models.length);
    const file = checkSource(applyEdits(TORCH_MODELS, [disableFileEdit(TORCH_MODELS, f.ruleId, 'python')]), 'model.py');
    assert.ok(!file.findings.some((g) => g.ruleId === f.ruleId));
  }
});

test('PyTorch: the quick fix swaps the nn.init call and the finding goes', { skip }, () => {
  const report = checkSource(TORCH_MODELS, 'model.py');
  const f = report.findings.find((x) => x.ruleId === 'relu-needs-he' && TORCH_MODELS.slice(x.span.start, x.span.end).includes('fc1'))!;
  const [fix] = quickFixesOf(f);
  assert.equal(fix.isPreferred, true);
  const after = applyEdits(TORCH_MODELS, fix.edits);
  assert.match(after, /nn\.init\.kaiming_uniform_\(self\.fc1\.weight, nonlinearity="relu"\)/);
  assert.ok(!checkSource(after, 'model.py').findings.some((x) => x.ruleId === 'relu-needs-he' && after.slice(x.span.start, x.span.end).includes('fc1')));
});

test('PyTorch: hover on nn.Linear and the CodeLens of each module', { skip }, () => {
  const report = checkSource(TORCH_MODELS, 'model.py');
  const hit = layerAt(report, TORCH_MODELS.indexOf('nn.Linear(784, 256)') + 3)!;
  assert.ok(hit, 'a layer under nn.Linear(784, 256)');
  const md = layerHoverMarkdown(hit);
  assert.match(md, /\| fans \| in 784 · out 256/);
  assert.match(md, /xavier_uniform_/);
  const titles = modelLenses(report).map((l) => l.title);
  assert.equal(titles.length, 2);
  for (const t of titles) assert.match(t, /^\d+ layers · /);
});
