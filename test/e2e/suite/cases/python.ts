/**
 * Python in the real editor: PyTorch diagnostics as the Problems panel shows them, the quick fix that swaps the
 * initializer, the "Disable … for this line / for the entire file" quick fixes writing Python comments
 * (`# initlens: disable=<rule>`, `# initlens: disable-file=<rule>`), and the same comments typed by hand. Works on
 * copies of examples/python/mlp.py (the e2e workspace holds examples/python as python/).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InHostTest } from '../../driver/api';
import { applyAction, copyOf, diagnosticsCount, expectShown, lines, open, quickFixes, revertAndClose, shown, type Shown } from '../helpers';

export const MLP_PY = 'python/mlp.py';

const INIT = (n: number) => `        nn.init.xavier_uniform_(self.fc${n}.weight)`;

/** What examples/python/mlp.py shows: relu-needs-he on the xavier_uniform_ calls of fc1, fc2, fc3 (0-based lines). */
export const MLP_PY_DIAGNOSTICS: Shown[] = [
  { line: 24, gain: '0.75' },
  { line: 25, gain: '0.5' },
  { line: 26, gain: '0.5' },
].map(({ line, gain }) => ({
  code: 'relu-needs-he',
  line,
  character: 8,
  message: `xavier_uniform_ before relu: per-layer signal gain ${gain}; after 3 such layers the signal is ×0.19. Use kaiming_uniform_.`,
}));

/** The diagnostics of MLP_PY_DIAGNOSTICS kept (by index), moved down by `shift` lines. */
const kept = (indexes: number[], shift: number): Shown[] => indexes.map((i) => ({ ...MLP_PY_DIAGNOSTICS[i], line: MLP_PY_DIAGNOSTICS[i].line + shift }));

async function replaceAll(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

export const pythonTests: InHostTest[] = [
  {
    name: 'Python: the quick fix writes kaiming_uniform_ and that diagnostic goes',
    async run() {
      const { uri, text } = await copyOf(MLP_PY, 'py-fix.py');
      const doc = (await open(uri)).document;
      assert.equal(doc.languageId, 'python');
      const ds = await expectShown(uri, MLP_PY_DIAGNOSTICS);
      const fc1 = ds.find((d) => d.range.start.line === 24)!;
      const after = await applyAction(doc, await quickFixes(uri, fc1), "Use kaiming_uniform_ for the kernel of nn.Linear 'fc1' (layer 2)");
      assert.equal(after, text.replace(INIT(1).trim(), 'nn.init.kaiming_uniform_(self.fc1.weight, nonlinearity="relu")'));
      const left = await diagnosticsCount(uri, 2);
      assert.deepEqual(
        shown(left).map((d) => [d.code, d.line]),
        [
          ['relu-needs-he', 25],
          ['relu-needs-he', 26],
        ],
      );
      await revertAndClose(doc);
    },
  },
  {
    name: 'Python: "Disable relu-needs-he for this line" and "for the entire file" write # initlens: comments that suppress',
    async run() {
      const { uri, text } = await copyOf(MLP_PY, 'py-disable.py');
      const doc = (await open(uri)).document;
      const ds = await expectShown(uri, MLP_PY_DIAGNOSTICS);
      const fc2 = ds.find((d) => d.range.start.line === 25)!;
      const actions = await quickFixes(uri, fc2);
      for (const t of ['Disable relu-needs-he for this line', 'Disable relu-needs-he for the entire file', 'Show documentation for relu-needs-he']) {
        assert.ok(actions.has(t), `"${t}" offered: ${JSON.stringify([...actions.keys()])}`);
      }
      const afterLine = lines(await applyAction(doc, actions, 'Disable relu-needs-he for this line'));
      assert.deepEqual(afterLine.slice(24, 28), [INIT(1), '        # initlens: disable=relu-needs-he', INIT(2), INIT(3)]);
      assert.equal(afterLine.length, lines(text).length + 1);
      // fc2's finding is suppressed; fc1's stays where it was and fc3's moved down a line.
      const left = await expectShown(uri, [...kept([0], 0), ...kept([2], 1)]);

      const fc1 = left.find((d) => d.range.start.line === 24)!;
      const afterFile = lines(await applyAction(doc, await quickFixes(uri, fc1), 'Disable relu-needs-he for the entire file'));
      assert.equal(afterFile[0], '# initlens: disable-file=relu-needs-he');
      assert.deepEqual(afterFile.slice(1), afterLine);
      await diagnosticsCount(uri, 0);
      await revertAndClose(doc);
    },
  },
  {
    name: 'Python: "# initlens: disable=<rule>" and "# initlens: disable-file=<rule>" typed by hand suppress that rule only',
    async run() {
      const { uri, text } = await copyOf(MLP_PY, 'py-comments.py');
      const doc = (await open(uri)).document;
      await expectShown(uri, MLP_PY_DIAGNOSTICS);
      // On the line itself, after the code.
      await replaceAll(doc, text.replace(`${INIT(1)}\n`, `${INIT(1)}  # initlens: disable=relu-needs-he\n`));
      await expectShown(uri, kept([1, 2], 0));
      // Another rule's comment suppresses nothing here.
      await replaceAll(doc, text.replace(`${INIT(2)}\n`, `        # initlens: disable=selu-needs-lecun\n${INIT(2)}\n`));
      await expectShown(uri, [...kept([0], 0), ...kept([1, 2], 1)]);
      await replaceAll(doc, `# initlens: disable-file=selu-needs-lecun\n${text}`);
      await expectShown(uri, kept([0, 1, 2], 1));
      // The file-level comment for the rule.
      await replaceAll(doc, `# initlens: disable-file=selu-needs-lecun, relu-needs-he\n${text}`);
      await diagnosticsCount(uri, 0);
      await revertAndClose(doc);
    },
  },
];

