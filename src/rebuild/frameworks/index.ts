/**
 * The rebuild side of the framework registry: how each framework's weights are drawn in TensorFlow.js. A
 * `Record<Framework, …>`, so a framework added to core/model.ts's union does not compile until it is here too.
 */
import type { Framework } from '../../core/model';
import { KERAS_REBUILD } from './keras';
import { PYTORCH_REBUILD } from './pytorch';
import { TFJS_REBUILD } from './tfjs';
import type { RebuildFramework } from './types';

export const REBUILD_FRAMEWORKS: Readonly<Record<Framework, RebuildFramework>> = {
  tfjs: TFJS_REBUILD,
  keras: KERAS_REBUILD,
  pytorch: PYTORCH_REBUILD,
};

export type { Drawing, RebuildFramework } from './types';
