/**
 * Typing simulation (bounded for npm test; `npm run fuzz` runs the long version): every example checked at
 * prefixes as if typed (every prefix in the fuzz run), and under seeded random token deletions, duplications and swaps. No exception, no
 * check over a generous hang budget, every finding inside the text, no non-finite number in a message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSane, check, corpusFiles, mutate, rng } from './shared';

/** A hang detector, not a speed test: a check of an example takes milliseconds. */
const HANG_BUDGET_MS = 2000;

/** `npm run fuzz` sets INITLENS_FUZZ=1: every prefix and 2,000 mutants per file instead of ~60 and 20. */
const LONG = process.env.INITLENS_FUZZ === '1';
const MUTANTS = LONG ? 2000 : 20;

for (const { name, text } of corpusFiles()) {
  test(`${name}: prefixes as typed and ${MUTANTS} seeded mutants`, () => {
    let longest = 0;
    const step = LONG ? 1 : Math.max(3, Math.ceil(text.length / 60));
    for (let cut = 0; cut <= text.length; cut += step) {
      const prefix = text.slice(0, cut);
      const t0 = performance.now();
      const r = check(prefix, name);
      longest = Math.max(longest, performance.now() - t0);
      const bad = assertSane(r, prefix);
      assert.equal(bad, undefined, `${name} prefix ${cut}: ${bad}`);
    }
    const random = rng(name.length * 7919);
    for (let k = 0; k < MUTANTS; k++) {
      const mutant = mutate(text, random, 1 + (k % 5));
      const t0 = performance.now();
      const r = check(mutant, name);
      longest = Math.max(longest, performance.now() - t0);
      const bad = assertSane(r, mutant);
      assert.equal(bad, undefined, `${name} mutant ${k}: ${bad}`);
    }
    assert.ok(longest < HANG_BUDGET_MS, `longest check ${longest.toFixed(0)} ms`);
    if (LONG) console.log(`${name}: ${Math.floor(text.length / step) + 1} prefixes, ${MUTANTS} mutants, longest check ${longest.toFixed(1)} ms`);
  });
}
