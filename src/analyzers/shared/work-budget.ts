/**
 * The work limits of both interpreters: every statement and expression they evaluate takes a step; the file
 * has a step limit (past it, `Abort` ends the analysis), and a function or class run stand-alone (one the file
 * never calls) has a budget of its own (past it, `BudgetExceeded` ends that run only). This is what makes an
 * analysis terminate on any input, however its loops, recursion and size.
 */

/** The file's step limit is reached (or another per-file cap is): the analysis stops. */
export class Abort extends Error {}

/** The budget of one stand-alone run is spent: that run stops, the analysis goes on. */
export class BudgetExceeded extends Error {}

export class WorkBudget {
  /** Steps taken so far. */
  steps = 0;
  /** The step count past which the analysis stops. */
  limit: number;
  /** The step count past which the current stand-alone run stops. */
  private runEnd = Infinity;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Takes one step; throws `Abort` or `BudgetExceeded` when a limit is passed. */
  tick(): void {
    if (++this.steps > this.limit) throw new Abort();
    if (this.steps > this.runEnd) throw new BudgetExceeded();
  }

  /** Whether the file's steps are all used. */
  get spent(): boolean {
    return this.steps >= this.limit;
  }

  /** How deeply the statements and expressions being evaluated now nest. */
  private depth = 0;

  /**
   * Takes a step and enters one level deeper, unless `maxDepth` levels are open already (then false: the caller
   * gives up on this node). Each `enter` that returns true is paired with a `leave` (in a `finally`). Without a
   * callback, so that the interpreters' hottest path allocates nothing.
   */
  enter(maxDepth: number): boolean {
    this.tick();
    if (this.depth >= maxDepth) return false;
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }

  /** Sets the file's limit to `more` steps from now. */
  extend(more: number): void {
    this.limit = this.steps + more;
  }

  /** Runs `f` with a budget of `steps` of its own (a stand-alone run); `BudgetExceeded` leaves `f` when it is spent. */
  standalone<T>(steps: number, f: () => T): T {
    this.runEnd = this.steps + steps;
    try {
      return f();
    } finally {
      this.runEnd = Infinity;
    }
  }
}

/** Adds `message` to `notes` unless it is there already (or `notes` holds `max` already): each note is said once. */
export function noteOnce(notes: string[], message: string, max = Infinity): void {
  if (notes.length < max && !notes.includes(message)) notes.push(message);
}
