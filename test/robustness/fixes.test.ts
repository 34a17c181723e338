/**
 * Fixes never corrupt code: every fix offered on every file of the corpus (examples and fixtures) and on seeded
 * mutants of them is applied alone;
 * the result still parses as well as before, the fixed finding is gone, only the edited region changed, and the
 * same fix asked again on the fixed text changes nothing more.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/core/findings';
import { applyEdits, check, corpusFiles, mutate, rng, syntaxProblems } from './shared';

function sameFinding(a: Finding, b: Finding): boolean {
  return a.ruleId === b.ruleId && a.model === b.model && a.layer === b.layer && a.message === b.message;
}

export function verifyFixes(name: string, text: string): { verified: number; problems: string[] } {
  const problems: string[] = [];
  let verified = 0;
  const before = check(text, name);
  const syntaxBefore = syntaxProblems(text, name).length;
  for (const f of before.findings) {
    for (const fix of f.fixes) {
      const edits = fix.edits ?? [];
      const fixed = applyEdits(text, edits);
      const where = `${name}: ${f.ruleId} "${fix.title}"`;
      if (syntaxProblems(fixed, name).length > syntaxBefore) problems.push(`${where}: the result no longer parses`);
      const after = check(fixed, name);
      // Gone: one finding fewer of this rule on this layer (a layer can have two, e.g. minval and maxval both 0).
      const atLayer = (r: typeof before) => r.findings.filter((g) => g.ruleId === f.ruleId && g.model === f.model && g.layer === f.layer).length;
      if (f.layer !== undefined && atLayer(after) >= atLayer(before)) problems.push(`${where}: the finding is still there`);
      // Nothing outside the edited regions changed: the text before the first and after the last edit is intact.
      const first = Math.min(...edits.map((e) => e.span.start));
      const last = Math.max(...edits.map((e) => e.span.end));
      if (fixed.slice(0, first) !== text.slice(0, first) || fixed.slice(fixed.length - (text.length - last)) !== text.slice(last)) {
        problems.push(`${where}: text outside the edit changed`);
      }
      // Idempotent: the same fix is not offered again, or offering it again changes nothing.
      const again = after.findings.find((g) => sameFinding(g, f))?.fixes.find((x) => x.title === fix.title);
      if (again && applyEdits(fixed, again.edits ?? []) !== fixed) problems.push(`${where}: applying it twice changes the text again`);
      verified++;
    }
  }
  return { verified, problems };
}

test('every fix on every file of the corpus applies cleanly and once', () => {
  let total = 0;
  for (const { name, text } of corpusFiles()) {
    const { verified, problems } = verifyFixes(name, text);
    assert.deepEqual(problems, []);
    total += verified;
  }
  assert.ok(total >= 20, `only ${total} fixes verified`);
  if (process.env.INITLENS_FUZZ === '1') console.log(`fixes: ${total} on the corpus as written, applied and verified`);
});

test('fixes on seeded mutants of the corpus apply cleanly', () => {
  const random = rng(20261122);
  const long = process.env.INITLENS_FUZZ === '1';
  let mutants = 0;
  let fixes = 0;
  for (const { name, text } of corpusFiles()) {
    for (let k = 0; k < (long ? 600 : 4); k++) {
      const { verified, problems } = verifyFixes(name, mutate(text, random, 1 + (k % 3)));
      assert.deepEqual(problems, []);
      mutants++;
      fixes += verified;
    }
  }
  if (long) console.log(`fixes: ${mutants} mutants, ${fixes} fixes applied and verified`);
});
