/**
 * The pieces both interpreters share (src/analyzers/shared): the undo log behind undecided branches, the work
 * budget, loop unrolling and the Keras layer semantics. The analyzers' own tests cover them through both
 * languages; these pin the contracts each interpreter relies on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UndoLog } from '../../../src/analyzers/shared/undo-log';
import { Abort, BudgetExceeded, WorkBudget, noteOnce } from '../../../src/analyzers/shared/work-budget';
import { itemsHead, loopCapNote, unroll } from '../../../src/analyzers/shared/loops';
import { convOutput, recurrentDims, recurrentWidth } from '../../../src/analyzers/shared/keras-layers';

test('explore runs each alternative from the same state and reports what each left, then restores it', () => {
  const log = new UndoLog();
  const vars = new Map<string, unknown>([['x', 1]]);
  const obj: Record<string, unknown> = { v: 'a' };
  const seen: unknown[] = [];
  const { completions, changed } = log.explore([
    () => {
      seen.push(vars.get('x'));
      log.put(vars, 'x', 2);
      log.put(vars, 'y', 3);
      return 'first';
    },
    () => {
      seen.push(vars.get('x'));
      log.put(obj, 'v', 'b');
      log.remove(vars, 'x');
      return 'second';
    },
  ]);
  assert.deepEqual(seen, [1, 1]);
  assert.deepEqual(completions, ['first', 'second']);
  assert.deepEqual([...vars], [['x', 1]]);
  assert.deepEqual(obj, { v: 'a' });
  const byKey = new Map(changed.map((c) => [`${c.c === obj ? 'obj' : 'vars'}.${c.key}`, c]));
  assert.deepEqual(byKey.get('vars.x')!.before, { had: true, v: 1 });
  assert.deepEqual(byKey.get('vars.x')!.after, [{ had: true, v: 2 }, { had: false, v: undefined }]);
  assert.deepEqual(byKey.get('vars.y')!.after, [{ had: true, v: 3 }, { had: false, v: undefined }]);
  assert.deepEqual(byKey.get('obj.v')!.after, [{ had: true, v: 'a' }, { had: true, v: 'b' }]);
});

test('a join written inside an enclosing branch is undone with it', () => {
  const log = new UndoLog();
  const vars = new Map<string, unknown>([['x', 1]]);
  log.explore([
    () => {
      const inner = log.explore([() => log.put(vars, 'x', 2), () => undefined]);
      for (const c of inner.changed) log.put(c.c, c.key, 'joined');
      assert.equal(vars.get('x'), 'joined');
    },
  ]);
  assert.equal(vars.get('x'), 1);
});

test('an alternative that throws is undone too', () => {
  const log = new UndoLog();
  const vars = new Map<string, unknown>([['x', 1]]);
  assert.throws(() =>
    log.explore([
      () => {
        log.put(vars, 'x', 2);
        throw new Abort();
      },
    ]),
  );
  assert.equal(vars.get('x'), 1);
});

test('the work budget stops the file at its limit and a stand-alone run at its own', () => {
  const w = new WorkBudget(10);
  assert.throws(() => w.standalone(3, () => {
    for (;;) w.tick();
  }), BudgetExceeded);
  assert.equal(w.steps, 4);
  w.tick();
  assert.throws(() => {
    for (;;) w.tick();
  }, Abort);
  assert.equal(w.steps, 11);
  assert.ok(w.spent);
  w.extend(5);
  assert.equal(w.limit, 16);
  assert.ok(!w.spent);
});

test('enter refuses past the depth and counts a step per level', () => {
  const w = new WorkBudget(1000);
  const depth = (n: number): number => {
    if (!w.enter(3)) return -1;
    try {
      return n === 0 ? 0 : depth(n - 1) + 1;
    } finally {
      w.leave();
    }
  };
  assert.equal(depth(2), 2);
  assert.equal(depth(5), 2); // levels 0..2 run; the fourth level is too deep (-1) and the three above add 1 each
  assert.equal(w.steps, 3 + 4);
});

test('noteOnce says each note once, up to a maximum', () => {
  const notes: string[] = [];
  noteOnce(notes, 'a');
  noteOnce(notes, 'a');
  noteOnce(notes, 'b', 1);
  assert.deepEqual(notes, ['a']);
});

test('unroll: passes until the head ends, breaks, leaves, or stops at the cap', () => {
  const run = (count: number, limit: number, breakAt = -1) => {
    const visited: number[] = [];
    const r = unroll<string>({
      head: itemsHead(count, limit),
      pass: (i) => (i === breakAt ? 'break' : (visited.push(i), 'next')),
      ended: () => 'ended',
      capped: () => 'capped',
      unknown: () => 'unknown',
      broken: () => 'broken',
    });
    return { r, visited };
  };
  assert.deepEqual(run(3, 5), { r: 'ended', visited: [0, 1, 2] });
  assert.deepEqual(run(5, 5), { r: 'ended', visited: [0, 1, 2, 3, 4] });
  assert.deepEqual(run(6, 5), { r: 'capped', visited: [0, 1, 2, 3, 4] });
  assert.deepEqual(run(6, 5, 1), { r: 'broken', visited: [0] });
  const left = unroll<string>({ head: () => 'go', pass: () => ({ exit: 'return' }), ended: () => '', capped: () => '', unknown: () => '', broken: () => '' });
  assert.equal(left, 'return');
  assert.equal(loopCapNote(7, 1000), 'The loop at line 7 runs more than 1,000 times: only its first 1,000 iterations were analyzed.');
});

test('Keras layer semantics: convolution output (Keras conv_utils formulas) and recurrent widths', () => {
  // 32x32x3 input, 3x3 kernel, stride 2, 'valid': floor((32 - 3) / 2) + 1 = 15; 'same': ceil(32 / 2) = 16.
  const conv = { kind: 'conv' as const, rank: 2, channelsFirst: false, filters: 8, depthMultiplier: undefined, kernelSize: [3, 3], strides: [2, 2], dilation: [1, 1] };
  assert.deepEqual(convOutput({ ...conv, padding: 'valid' }, [32, 32, 3], 3), { inChannels: 3, outChannels: 8, dims: [15, 15, 8] });
  assert.deepEqual(convOutput({ ...conv, padding: 'same' }, [32, 32, 3], 3), { inChannels: 3, outChannels: 8, dims: [16, 16, 8] });
  // Channels first: channels are the first dimension; depthwise multiplies them.
  assert.deepEqual(convOutput({ ...conv, kind: 'depthwiseConv', channelsFirst: true, depthMultiplier: 2, padding: 'valid' }, [3, 32, 32], 32), { inChannels: 3, outChannels: 6, dims: [6, 15, 15] });
  // Transposed, 'valid': len * stride + max(k - stride, 0) = 16 * 2 + 1 = 33.
  assert.deepEqual(convOutput({ ...conv, kind: 'convTranspose', padding: 'valid' }, [16, 16, 3], 3).dims, [33, 33, 8]);
  // Wrong rank: channels from the last dimension, dimensions unknown.
  assert.deepEqual(convOutput({ ...conv, padding: 'valid' }, [32, 3], 3), { inChannels: 3, outChannels: 8 });
  assert.equal(recurrentWidth(16, 'bidirectional', 2), 32);
  assert.equal(recurrentWidth(16, 'bidirectional', undefined), undefined);
  assert.equal(recurrentWidth(16, undefined, 2), 16);
  assert.deepEqual(recurrentDims([10, 4], 16, true), [10, 16]);
  assert.deepEqual(recurrentDims([10, 4], 16, false), [16]);
  assert.equal(recurrentDims(undefined, 16, true), undefined);
});
