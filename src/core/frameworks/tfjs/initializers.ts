/**
 * TensorFlow.js 4.x initializers: tfjs-layers/src/initializers.ts:597-621 (ids = the factories of
 * exports_initializers.ts, and the registered class names); defaults as in reference §1.1. A factory takes one
 * config object, so no argument is positional.
 */
import { vs } from '../tables';
import type { SpecRow } from '../types';

export const TFJS_INITIALIZERS: SpecRow[] = [
  { id: 'zeros', className: 'Zeros', kind: 'constant', defaults: { value: 0 }, preset: true },
  { id: 'ones', className: 'Ones', kind: 'constant', defaults: { value: 1 }, preset: true },
  // 'constant' as a string throws "config must have value set" (:87-89); the value is required.
  { id: 'constant', className: 'Constant', kind: 'constant', defaults: {} },
  { id: 'randomUniform', className: 'RandomUniform', kind: 'uniform', defaults: { minval: -0.05, maxval: 0.05 } },
  { id: 'randomNormal', className: 'RandomNormal', kind: 'normal', defaults: { mean: 0, stddev: 0.05 } },
  { id: 'truncatedNormal', className: 'TruncatedNormal', kind: 'truncatedNormal', defaults: { mean: 0, stddev: 0.05 } },
  { id: 'varianceScaling', className: 'VarianceScaling', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'normal') },
  { id: 'glorotUniform', className: 'GlorotUniform', kind: 'varianceScaling', defaults: vs(1, 'fanAvg', 'uniform'), preset: true },
  { id: 'glorotNormal', className: 'GlorotNormal', kind: 'varianceScaling', defaults: vs(1, 'fanAvg', 'normal'), preset: true },
  { id: 'heNormal', className: 'HeNormal', kind: 'varianceScaling', defaults: vs(2, 'fanIn', 'normal'), preset: true },
  { id: 'heUniform', className: 'HeUniform', kind: 'varianceScaling', defaults: vs(2, 'fanIn', 'uniform'), preset: true },
  { id: 'leCunNormal', className: 'LeCunNormal', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'normal'), preset: true },
  { id: 'leCunUniform', className: 'LeCunUniform', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'uniform'), preset: true },
  { id: 'orthogonal', className: 'Orthogonal', kind: 'orthogonal', defaults: { gain: 1 } },
  { id: 'identity', className: 'Identity', kind: 'identity', defaults: { gain: 1 } },
];
