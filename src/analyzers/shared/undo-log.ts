/**
 * The undo log behind both interpreters' branches. When a condition cannot be decided, every alternative runs
 * from the same state; each change it makes to a variable, property or registration goes through `put` or
 * `remove`, so that it can be undone before the next alternative runs. `explore` returns, for each place any
 * alternative changed, what it held before and what each alternative left there; the interpreter then writes
 * its join (its own policy: values that differ become unknown) back with `put`, so that an enclosing branch
 * records the join in turn.
 */

/** A place holding values: a key of a Map or of a plain object. */
export type Store = Map<string, unknown> | Record<string, unknown>;

/** What a place held: `had` false when the key was absent. */
export interface Slot {
  had: boolean;
  v: unknown;
}

/** One place changed by some alternative: what it held before, and what each alternative left (in order). */
export interface ChangedPlace {
  c: Store;
  key: string;
  before: Slot;
  after: Slot[];
}

interface Entry {
  c: Store;
  key: string;
  had: boolean;
  old: unknown;
}

function read(c: Store, key: string): Slot {
  if (c instanceof Map) return { had: c.has(key), v: c.get(key) };
  return { had: Object.prototype.hasOwnProperty.call(c, key), v: c[key] };
}

function write(c: Store, key: string, s: Slot): void {
  if (c instanceof Map) {
    if (s.had) c.set(key, s.v);
    else c.delete(key);
  } else if (s.had) c[key] = s.v;
  else delete c[key];
}

export class UndoLog {
  /** The changes of the alternative running now; undefined outside branches (nothing to record). */
  private trail: Entry[] | undefined;

  put(c: Store, key: string, v: unknown): void {
    if (this.trail) {
      const { had, v: old } = read(c, key);
      this.trail.push({ c, key, had, old });
    }
    write(c, key, { had: true, v });
  }

  remove(c: Store, key: string): void {
    const { had, v: old } = read(c, key);
    if (!had) return;
    if (this.trail) this.trail.push({ c, key, had, old });
    write(c, key, { had: false, v: undefined });
  }

  /**
   * Runs each alternative from the same state and undoes it (also when it throws). Returns their completions
   * and the places they changed, grouped by store in the order the undo first reached them.
   */
  explore<C>(alts: (() => C)[]): { completions: C[]; changed: ChangedPlace[] } {
    const outer = this.trail;
    const finals: Map<Store, Map<string, Slot>>[] = [];
    const before = new Map<Store, Map<string, Slot>>();
    const completions: C[] = [];
    for (const alt of alts) {
      const trail: Entry[] = [];
      this.trail = trail;
      try {
        completions.push(alt());
      } finally {
        this.trail = outer;
        finals.push(this.finalsOf(trail));
        this.undo(trail, before);
      }
    }
    const changed: ChangedPlace[] = [];
    for (const [c, keys] of before) {
      for (const [key, b] of keys) changed.push({ c, key, before: b, after: finals.map((f) => f.get(c)?.get(key) ?? b) });
    }
    return { completions, changed };
  }

  /** What the places in `trail` hold now (at the end of an alternative). */
  private finalsOf(trail: Entry[]): Map<Store, Map<string, Slot>> {
    const fin = new Map<Store, Map<string, Slot>>();
    for (const e of trail) {
      let m = fin.get(e.c);
      if (!m) fin.set(e.c, (m = new Map()));
      if (!m.has(e.key)) m.set(e.key, read(e.c, e.key));
    }
    return fin;
  }

  /** Restores the state before `trail`, noting in `before` what each place held. */
  private undo(trail: Entry[], before: Map<Store, Map<string, Slot>>): void {
    for (let i = trail.length - 1; i >= 0; i--) {
      const e = trail[i];
      let o = before.get(e.c);
      if (!o) before.set(e.c, (o = new Map()));
      o.set(e.key, { had: e.had, v: e.old });
      write(e.c, e.key, { had: e.had, v: e.old });
    }
  }
}
