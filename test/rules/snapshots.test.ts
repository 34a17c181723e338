/**
 * Per-rule fixtures with reviewed snapshots (as Ruff keeps them): for each rule and each framework where it can
 * fire, `fixtures/<rule-id>/{tfjs.ts,torch.py,keras.py}` is model code written for this test, with cases on both
 * sides of the rule's line, and `snapshots/<rule-id>.<fw>.snap` is what the engine (`checkText`, only that rule
 * on) reports for it, as the user reads it: message, span and its text, related locations, each fix's title,
 * safety and unified diff, and the problems and notes (see render.ts).
 *
 * Besides the snapshot, each fixture states its cases in comments: a line ending in `expect: fires` must be where
 * a finding of the rule starts, and every finding must start on such a line; `expect: quiet` marks a case that
 * must not fire (documentation: any finding there fails the first check). Each fix must leave a text that parses
 * and no longer holds the finding it fixed (re-checked); the tfjs fixtures typecheck with the project (tsconfig
 * includes them) and so must each fixed text (one TypeScript program for all of them, at the end).
 *
 * Regenerate after a deliberate change, then review every changed line of the diff before committing:
 *
 *   UPDATE_SNAPSHOTS=1 node --import tsx --test test/rules/snapshots.test.ts && git diff test/rules/snapshots
 *
 * A missing snapshot fails the test; it is written only under UPDATE_SNAPSHOTS=1.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding, SeveritySetting } from '../../src/core/findings';
import { RULE_LIST } from '../../src/core/rules';
import { checkText } from '../../src/engine/check';
import { analyzerFor } from '../../src/engine/languages';
import { applyEdits } from '../robustness/shared';
import { renderReport, SourceText, type FixOutcome } from './render';
import { typeErrors } from './typecheck';

const DIR = __dirname;
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

/** The fixture file of each framework. */
const FRAMEWORKS = { tfjs: 'tfjs.ts', torch: 'torch.py', keras: 'keras.py' } as const;
type Fw = keyof typeof FRAMEWORKS;

/** Rules about tfjs's own implementation: they cannot fire on Python. */
const TFJS_ONLY = new Set(['truncated-normal-shortfall', 'tfjs-falsy-arg']);

function frameworksOf(ruleId: string): Fw[] {
  return TFJS_ONLY.has(ruleId) ? ['tfjs'] : ['tfjs', 'torch', 'keras'];
}

/** Only the rule under test on, as Ruff selects one code per fixture. */
function onlyRule(ruleId: string): Record<string, SeveritySetting> {
  return Object.fromEntries(RULE_LIST.filter((r) => r.meta.id !== ruleId).map((r) => [r.meta.id, 'off' as const]));
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.ruleId === b.ruleId && a.model === b.model && a.layer === b.layer && (a.layer !== undefined || a.span.start === b.span.start);
}

/** Each tfjs fixture's text after each fix, for the typecheck at the end: file name → text. */
const fixedTfjs = new Map<string, { text: string; what: string }>();

function outcomesOf(f: Finding, text: string, name: string, rules: Record<string, SeveritySetting>): FixOutcome[] {
  return f.fixes.map((fix) => {
    const after = applyEdits(text, fix.edits ?? []);
    if (name.endsWith('.ts')) fixedTfjs.set(join(DIR, 'fixtures', name.replace(/\.ts$/, `.fixed-${fixedTfjs.size}.ts`)), { text: after, what: `${name}: "${fix.title}"` });
    const syntaxErrors = analyzerFor(name)!.analyze(after, name).syntaxErrors?.length ?? 0;
    const left = checkText(after, name, { rules }).findings;
    return { syntaxErrors, stillThere: left.some((x) => sameFinding(x, f)) };
  });
}

/** Line numbers (1-based) whose text ends in `expect: <what>`. */
function markedLines(text: string, what: 'fires' | 'quiet'): number[] {
  const re = new RegExp(`(?://|#).*\\bexpect: ${what}\\s*$`);
  return text.split(/\r\n|\r|\n/).flatMap((l, i) => (re.test(l) ? [i + 1] : []));
}

for (const rule of RULE_LIST) {
  const id = rule.meta.id;
  for (const fw of frameworksOf(id)) {
    test(`${id} on ${fw}: findings, fixes and problems as snapshotted`, () => {
      const file = join(DIR, 'fixtures', id, FRAMEWORKS[fw]);
      assert.ok(existsSync(file), `missing fixture ${file}`);
      const text = readFileSync(file, 'utf8');
      const name = `${id}/${FRAMEWORKS[fw]}`;
      const rules = onlyRule(id);
      const report = checkText(text, name, { rules });
      const src = new SourceText(text);
      const outcomes = new Map(report.findings.map((f) => [f, outcomesOf(f, text, name, rules)]));
      const header = `# ${id} on ${fw}: test/rules/fixtures/${name}, checked with only this rule on`;
      const actual = renderReport(report, src, FRAMEWORKS[fw], (f) => outcomes.get(f)!, header);

      const snap = join(DIR, 'snapshots', `${id}.${fw}.snap`);
      if (UPDATE) {
        mkdirSync(join(DIR, 'snapshots'), { recursive: true });
        writeFileSync(snap, actual);
      } else {
        assert.ok(existsSync(snap), `missing snapshot ${snap}: run UPDATE_SNAPSHOTS=1 and review it`);
        assert.equal(actual, readFileSync(snap, 'utf8'), `${snap} differs: review, then UPDATE_SNAPSHOTS=1 if intended`);
      }

      // The fixture's own statement of its cases.
      const fires = markedLines(text, 'fires');
      const quiet = markedLines(text, 'quiet');
      assert.ok(fires.length > 0 && quiet.length > 0, `${name} has cases on both sides (expect: fires / expect: quiet)`);
      const starts = report.findings.map((f) => src.line(f.span.start));
      assert.deepEqual([...new Set(starts)].sort((a, b) => a - b), fires, `${name}: findings start exactly on the 'expect: fires' lines`);
      for (const f of report.findings) {
        assert.equal(f.ruleId, id);
        outcomes.get(f)!.forEach((o, i) => {
          assert.equal(o.syntaxErrors, 0, `${name}:${src.line(f.span.start)} fix "${f.fixes[i].title}" leaves a text that parses`);
          assert.equal(o.stillThere, false, `${name}:${src.line(f.span.start)} fix "${f.fixes[i].title}" removes its finding`);
        });
      }
    });
  }
}

test('every fix to a tfjs fixture leaves code that typechecks against @tensorflow/tfjs', () => {
  assert.ok(fixedTfjs.size > 0, 'the snapshot tests ran first and collected the fixed texts');
  const errors = typeErrors(fixedTfjs);
  assert.deepEqual(errors, [], errors.join('\n'));
});
