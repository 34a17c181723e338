/**
 * Keras initializers: Keras 3 keras/src/initializers/__init__.py:28-63 and random_initializers.py @v3.15.1;
 * tf.keras 2.15 has the same names (reference §2.1-2.2). `aliases` are the other spellings Keras accepts (its
 * lower-case aliases and the tf.keras 2 class names); `positional` is the constructor's argument order.
 */
import type { InitializerArgs } from '../../model';
import { vs } from '../tables';
import type { SpecRow } from '../types';

const SEED: (keyof InitializerArgs)[] = ['seed'];

export const KERAS_INITIALIZERS: SpecRow[] = [
  { id: 'zeros', className: 'Zeros', aliases: ['zero'], kind: 'constant', defaults: { value: 0 }, preset: true },
  { id: 'ones', className: 'Ones', aliases: ['one'], kind: 'constant', defaults: { value: 1 }, preset: true },
  // Keras Constant defaults to value 0.0 (constant_initializers.py:31).
  { id: 'constant', className: 'Constant', kind: 'constant', defaults: { value: 0 }, positional: ['value'] },
  {
    id: 'random_uniform',
    className: 'RandomUniform',
    aliases: ['uniform'],
    kind: 'uniform',
    defaults: { minval: -0.05, maxval: 0.05 },
    positional: ['minval', 'maxval', 'seed'],
  },
  {
    id: 'random_normal',
    className: 'RandomNormal',
    aliases: ['normal'],
    kind: 'normal',
    defaults: { mean: 0, stddev: 0.05 },
    positional: ['mean', 'stddev', 'seed'],
  },
  {
    id: 'truncated_normal',
    className: 'TruncatedNormal',
    kind: 'truncatedNormal',
    defaults: { mean: 0, stddev: 0.05 },
    positional: ['mean', 'stddev', 'seed'],
  },
  {
    id: 'variance_scaling',
    className: 'VarianceScaling',
    kind: 'varianceScaling',
    defaults: vs(1, 'fanIn', 'truncatedNormal'),
    positional: ['scale', 'mode', 'distribution', 'seed'],
  },
  { id: 'glorot_uniform', className: 'GlorotUniform', kind: 'varianceScaling', defaults: vs(1, 'fanAvg', 'uniform'), preset: true, positional: SEED },
  { id: 'glorot_normal', className: 'GlorotNormal', kind: 'varianceScaling', defaults: vs(1, 'fanAvg', 'truncatedNormal'), preset: true, positional: SEED },
  { id: 'he_normal', className: 'HeNormal', kind: 'varianceScaling', defaults: vs(2, 'fanIn', 'truncatedNormal'), preset: true, positional: SEED },
  { id: 'he_uniform', className: 'HeUniform', kind: 'varianceScaling', defaults: vs(2, 'fanIn', 'uniform'), preset: true, positional: SEED },
  { id: 'lecun_normal', className: 'LecunNormal', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'truncatedNormal'), preset: true, positional: SEED },
  { id: 'lecun_uniform', className: 'LecunUniform', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'uniform'), preset: true, positional: SEED },
  {
    id: 'orthogonal',
    className: 'Orthogonal',
    aliases: ['OrthogonalInitializer'],
    kind: 'orthogonal',
    defaults: { gain: 1 },
    positional: ['gain', 'seed'],
  },
  { id: 'identity', className: 'Identity', aliases: ['IdentityInitializer'], kind: 'identity', defaults: { gain: 1 }, positional: ['gain'] },
];
