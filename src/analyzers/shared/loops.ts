/**
 * Loop unrolling, as both interpreters do it: a loop whose passes can be counted runs pass by pass, up to
 * `limit` passes; a loop whose head cannot be decided runs its body once as one alternative of a branch (the
 * other: not at all), so that what the body assigns is joined with what was there before.
 */

/** What the head of a loop says before a pass. */
export type LoopHead = 'go' | 'end' | 'capped' | 'unknown';

/** What a pass of the body did: the loop goes on, stops (`break`), or is left with a completion. */
export type LoopPass<C> = 'next' | 'break' | { exit: C };

export interface Unrolling<C> {
  /** Before pass `i` (from 0): go on, end, stop at the cap, or cannot tell. */
  head(i: number): LoopHead;
  /** Runs pass `i`. */
  pass(i: number): LoopPass<C>;
  /** The completion when the head says 'end' (e.g. Python's `else:` body). */
  ended(): C;
  /** The completion when the cap is reached (a note is due). */
  capped(): C;
  /** The completion when the head cannot tell (`maybeOnce`, usually). */
  unknown(): C;
  /** The completion after `break`. */
  broken(): C;
}

/** Runs a loop pass by pass until its head ends it, the cap stops it, or a pass leaves it. */
export function unroll<C>(u: Unrolling<C>): C {
  for (let i = 0; ; i++) {
    const h = u.head(i);
    if (h === 'end') return u.ended();
    if (h === 'capped') return u.capped();
    if (h === 'unknown') return u.unknown();
    const r = u.pass(i);
    if (r === 'break') return u.broken();
    if (r !== 'next') return r.exit;
  }
}

/** The head of a loop over known `items` (a cap past `limit` passes). */
export function itemsHead(count: number, limit: number): (i: number) => LoopHead {
  return (i) => (i >= count ? 'end' : i >= limit ? 'capped' : 'go');
}

/** The alternatives of a loop that cannot be unrolled: its body runs once, or not at all. */
export function maybeOnce<C>(once: () => C, none: C): (() => C)[] {
  return [once, () => none];
}

/** The note for a loop cut at the cap (the same words in every analyzer). */
export function loopCapNote(line: number, limit: number): string {
  const n = limit.toLocaleString('en-US');
  return `The loop at line ${line} runs more than ${n} times: only its first ${n} iterations were analyzed.`;
}
