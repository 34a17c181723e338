/**
 * Python lint latency: a ~2,000-line file made of the examples/python models (classes renamed), the median time of
 * the bare @lezer/python parse, of the analysis (parse included) and of the full check. A benchmark: it asserts
 * nothing.   node --import tsx bench/python-latency.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@lezer/python';
import { analyzePython } from '../src/analyzers/python';
import { checkText } from '../src/engine/check';

const dir = join(__dirname, '..', 'examples', 'python');
const files = ['mlp.py', 'cnn_batchnorm.py', 'resnet_block.py', 'lstm_tagger.py', 'keras_selu.py'].map((f) => readFileSync(join(dir, f), 'utf8'));
let text = '';
for (let k = 0; text.split('\n').length < 2000; k++) text += files[k % files.length].replace(/class (\w+)/g, `class $1_${k}`) + '\n';

const median = (f: () => void, n = 21) => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    xs.push(performance.now() - t);
  }
  return xs.sort((a, b) => a - b)[n >> 1];
};
for (let i = 0; i < 3; i++) checkText(text, 'big.py');
const r = checkText(text, 'big.py');
console.log(`python: ${text.split('\n').length} lines, ${r.models.length} models, ${r.models.reduce((a, m) => a + m.model.layers.length, 0)} layers, ${r.findings.length} findings`);
console.log(`parse ${median(() => parser.parse(text)).toFixed(1)} ms · analysis ${median(() => analyzePython(text, 'big.py')).toFixed(1)} ms · full check ${median(() => checkText(text, 'big.py')).toFixed(1)} ms (median)`);
