/**
 * The "Disable <rule>" comments, checked by the engine itself: after the edit, the finding is suppressed and every
 * other finding stays; the comment has the line's indentation and the file's line endings; rules accumulate in
 * one comment.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { disableFileEdit, disableLineEdit } from '../../src/extension/logic/disable';
import { applyEdits } from '../../src/engine/edits';
import { check, checkSource, exampleFiles } from './helpers';

const key = (f: { ruleId: string; span: { start: number } ; message: string }) => `${f.ruleId}|${f.message}`;

test('disable for this line, on every finding of every example: that finding goes, the others stay', () => {
  let n = 0;
  for (const name of exampleFiles()) {
    const { text, report } = check(name);
    for (const finding of report.findings) {
      const after = applyEdits(text, [disableLineEdit(text, finding.span.start, finding.ruleId, 'js')]);
      const again = checkSource(after, name);
      const before = report.findings.map(key);
      const now = again.findings.map(key);
      assert.ok(!now.includes(key(finding)) || before.filter((k) => k === key(finding)).length > now.filter((k) => k === key(finding)).length, `${name}: ${finding.ruleId} not suppressed`);
      // Exactly one finding fewer unless the same line holds several of the rule.
      assert.ok(now.length < before.length, name);
      assert.equal(again.models.length, report.models.length, `${name}: the comment broke the analysis`);
      n++;
    }
  }
  assert.ok(n >= 30);
});

test('the comment goes above the finding\'s first line, indented like it', () => {
  const text = 'function f() {\n    model.add(tf.layers.dense({ units: 4 }));\n}\n';
  const at = text.indexOf('tf.layers');
  const e = disableLineEdit(text, at, 'relu-needs-he', 'js');
  assert.equal(applyEdits(text, [e]), 'function f() {\n    // initlens-disable-next-line relu-needs-he\n    model.add(tf.layers.dense({ units: 4 }));\n}\n');
});

test('CRLF files get CRLF comments; a second rule joins the existing comment; a repeat is a no-op', () => {
  const text = 'a();\r\n  b();\r\n';
  const first = applyEdits(text, [disableLineEdit(text, text.indexOf('b'), 'relu-needs-he', 'js')]);
  assert.equal(first, 'a();\r\n  // initlens-disable-next-line relu-needs-he\r\n  b();\r\n');
  const second = applyEdits(first, [disableLineEdit(first, first.indexOf('b()'), 'vanishing-signal', 'js')]);
  assert.equal(second, 'a();\r\n  // initlens-disable-next-line relu-needs-he, vanishing-signal\r\n  b();\r\n');
  assert.equal(applyEdits(second, [disableLineEdit(second, second.indexOf('b()'), 'vanishing-signal', 'js')]), second);
});

test('two rules on one line, disabled one after the other, are both suppressed', () => {
  const { text, report } = check('symmetric-zeros.ts');
  let cur = text;
  const targets = report.findings.filter((f) => f.ruleId === 'symmetric-init');
  assert.ok(targets.length >= 1);
  const t = targets[0];
  cur = applyEdits(cur, [disableLineEdit(cur, t.span.start, 'symmetric-init', 'js')]);
  const offset = cur.indexOf(text.slice(t.span.start, t.span.end));
  cur = applyEdits(cur, [disableLineEdit(cur, offset, 'relu-needs-he', 'js')]);
  assert.match(cur, /\/\/ initlens-disable-next-line symmetric-init, relu-needs-he/);
  assert.ok(!checkSource(cur, 'symmetric-zeros.ts').findings.some((f) => f.ruleId === 'symmetric-init' && f.span.start === offset));
});

test('disable for the entire file: a comment at the top (after a shebang), merged with an existing one', () => {
  const { text, report } = check('mnist-mlp-default-init.ts');
  const after = applyEdits(text, [disableFileEdit(text, 'relu-needs-he', 'js')]);
  assert.ok(after.startsWith('// initlens-disable relu-needs-he\n// A deep ReLU MLP'));
  const again = checkSource(after, 'mnist-mlp-default-init.ts');
  assert.equal(again.findings.filter((f) => f.ruleId === 'relu-needs-he').length, 0);
  assert.equal(again.findings.length, report.findings.filter((f) => f.ruleId !== 'relu-needs-he').length);
  const both = applyEdits(after, [disableFileEdit(after, 'vanishing-signal', 'js')]);
  assert.ok(both.startsWith('// initlens-disable relu-needs-he, vanishing-signal\n'));
  assert.deepEqual(checkSource(both, 'mnist-mlp-default-init.ts').findings, []);
  assert.equal(applyEdits(both, [disableFileEdit(both, 'vanishing-signal', 'js')]), both);

  const shebang = '#!/usr/bin/env node\nconst tf = require("@tensorflow/tfjs");\n';
  assert.equal(applyEdits(shebang, [disableFileEdit(shebang, 'fixed-scale', 'js')]), '#!/usr/bin/env node\n// initlens-disable fixed-scale\nconst tf = require("@tensorflow/tfjs");\n');
});

test('Python comments use the Python suppression syntax', () => {
  const py = '# -*- coding: utf-8 -*-\nimport torch\nclass Net:\n    def __init__(self):\n        self.fc = nn.Linear(4, 4)\n';
  assert.equal(
    applyEdits(py, [disableLineEdit(py, py.indexOf('self.fc'), 'relu-needs-he', 'python')]),
    py.replace('        self.fc', '        # initlens: disable=relu-needs-he\n        self.fc'),
  );
  assert.equal(
    applyEdits(py, [disableFileEdit(py, 'relu-needs-he', 'python')]),
    '# -*- coding: utf-8 -*-\n# initlens: disable-file=relu-needs-he\nimport torch\n' + py.split('import torch\n')[1],
  );
  const once = py.replace('        self.fc', '        # initlens: disable=relu-needs-he\n        self.fc');
  assert.equal(applyEdits(once, [disableLineEdit(once, once.indexOf('self.fc'), 'fixed-scale', 'python')]), once.replace('disable=relu-needs-he', 'disable=relu-needs-he, fixed-scale'));
});
