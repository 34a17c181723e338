/**
 * The rebuild side of the framework seam (src/rebuild/frameworks/): every framework of the registry has a rebuild
 * entry, the rebuild can draw every initializer spec of every framework, and each drawing really produces a
 * weight of the law its spec describes (mean and variance of the samples against core/realize.ts, with a
 * tolerance derived from the sample size).
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as TFNS from '@tensorflow/tfjs';
import { FRAMEWORKS } from '../../src/core/frameworks';
import { allInitializers, type InitializerSpec } from '../../src/core/initializers';
import type { Framework, InitializerArgs, InitializerRef } from '../../src/core/model';
import { realize } from '../../src/core/realize';
import { REBUILD_FRAMEWORKS, type RebuildFramework } from '../../src/rebuild/frameworks';
import type { WeightContext } from '../../src/rebuild/sample';
import { getTf } from './helpers';

void (REBUILD_FRAMEWORKS satisfies Record<Framework, RebuildFramework>);

const FRAMEWORK_IDS = Object.keys(FRAMEWORKS) as Framework[];

/** Arguments for the specs that need one (a constant's value; the rest use their defaults). */
const NEEDED: Partial<Record<string, InitializerArgs>> = { constant: { value: 0.5 }, constant_: { value: 0.5 } };

function refOf(spec: InitializerSpec): InitializerRef {
  return { framework: spec.framework, id: spec.id, args: NEEDED[spec.id] ?? {}, unknownArgs: [], falsyArgs: [], explicit: true, form: 'string' };
}

test('every registered framework has a rebuild entry', () => {
  assert.deepEqual(Object.keys(REBUILD_FRAMEWORKS).sort(), [...FRAMEWORK_IDS].sort());
});

for (const fw of FRAMEWORK_IDS) {
  describe(`${fw}: the rebuild draws every initializer`, () => {
    let tf: typeof TFNS;
    before(async () => {
      tf = await getTf();
    });

    test('every spec has a drawing', () => {
      for (const spec of allInitializers(fw)) assert.ok(REBUILD_FRAMEWORKS[fw].canDraw(spec), `${spec.id} cannot be drawn`);
    });

    test('each drawing samples the law core/realize.ts gives for a dense 256×512 kernel', () => {
      // Dense kernel: tfjs/Keras [in, out] = [256, 512]; PyTorch (out, in): fan_in 256 either way. 131 072 draws
      // put four standard errors of the variance at 2.2 %.
      const shape = [256, 512];
      const fans = { fanIn: 256, fanOut: 512, shape: fw === 'pytorch' ? [512, 256] : shape, hiddenSize: 512 };
      const drawing = REBUILD_FRAMEWORKS[fw].drawing;
      for (const spec of allInitializers(fw)) {
        if (spec.kind === 'identity' && fw === 'tfjs') continue; // tfjs Identity needs a square matrix (realize says undefined)
        const ref = refOf(spec);
        const expected = realize(ref, fans, { hiddenSize: 512 });
        assert.ok(expected, `${spec.id}: realize gives nothing`);
        let values: Float32Array;
        if (drawing.by === 'tfjs') {
          const init = drawing.initializer(tf, ref, 1234);
          const t = init.apply(shape, 'float32');
          values = t.dataSync() as Float32Array;
          t.dispose();
        } else {
          const ctx: WeightContext = { kind: 'dense', slot: 'kernel', shape, hiddenSize: 512, seed: 1234 };
          const s = drawing.sample(tf, ref, ctx);
          values = s.tensor.dataSync() as Float32Array;
          s.tensor.dispose();
        }
        const n = values.length;
        let s1 = 0;
        let s2 = 0;
        for (const v of values) {
          s1 += v;
          s2 += v * v;
        }
        const mean = s1 / n;
        const variance = s2 / n - mean * mean;
        // Four standard errors of the mean and of the variance (fourth moment ≤ 3σ⁴ for these laws, +σ⁴ slack). The
        // entries of a Haar orthogonal matrix are dependent, but the mean of its entries has the same standard error
        // (each column sums to a unit-variance number) and their mean square is exact.
        const seMean = Math.sqrt(expected.variance / n);
        const seVar = expected.variance * Math.sqrt(4 / n);
        const deterministic = expected.variance === 0 || expected.distribution === 'identity';
        const tol = deterministic ? 1e-4 * Math.max(expected.variance, 1e-6) + 1e-6 : 4;
        assert.ok(Math.abs(mean - expected.mean) <= (deterministic ? tol : tol * seMean + 1e-7), `${spec.id}: mean ${mean} vs ${expected.mean}`);
        assert.ok(
          Math.abs(variance - expected.variance) <= (deterministic ? tol : tol * seVar + 1e-9),
          `${spec.id}: variance ${variance} vs ${expected.variance}`,
        );
      }
    });
  });
}
