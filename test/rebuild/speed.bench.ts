/**
 * Speed of the rebuild's forward / forward+backward pass: 10-layer 512-wide ReLU MLP, batch 512.
 * Run: node --import tsx test/rebuild/speed.bench.ts [wasm|cpu]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { buildModel } from '../../src/rebuild/build';
import { measure } from '../../src/rebuild/measure';
import { mlp } from './helpers';

async function main() {
  const backend = process.argv[2] ?? 'wasm';
  await tf.setBackend(backend);
  await tf.ready();
  const m = mlp('tfjs', { depth: 10, width: 512, activation: 'relu' });
  const t0 = performance.now();
  const b = buildModel(tf, m, { seed: 1 });
  if (!b.ok) throw new Error(b.reason);
  const buildMs = performance.now() - t0;
  const input = { kind: 'gaussian' as const, mean: 0, std: 1 };
  const reps = backend === 'cpu' ? 2 : 5;
  for (const backward of [false, true]) {
    await measure(tf, b, { batch: 512, seed: 0, input, backward, skipWeights: true, histogramBins: 0 }); // warm-up
    const pass: number[] = [];
    const stats: number[] = [];
    for (let r = 0; r < reps; r++) {
      const res = await measure(tf, b, { batch: 512, seed: r + 1, input, backward, skipWeights: true });
      pass.push(res.timing.passMs);
      stats.push(res.timing.statsMs);
    }
    const med = (xs: number[]) => xs.slice().sort((a, c) => a - c)[Math.floor(xs.length / 2)];
    console.log(
      `${tf.getBackend()} ${backward ? 'forward+backward' : 'forward'}: pass ${med(pass).toFixed(0)} ms, stats ${med(stats).toFixed(0)} ms (median of ${reps}); build ${buildMs.toFixed(0)} ms`,
    );
  }
  b.dispose();
}
main();
