/** The separable convolution of the rebuild: tfjs's SeparableConv2D, with the framework's pointwise quirk. */
import { REBUILD_FRAMEWORKS } from '../frameworks';
import type { LayerBuilder } from './types';

export const separableConv: LayerBuilder = (n) => {
  const { tf, useBias } = n;
  const k = n.kernelSize();
  if (k.length !== 2 || n.spatialDims !== 2) n.fail('TensorFlow.js has only a 2-D separable convolution');
  n.depthMultiplier = n.depthMultiplier ?? 1;
  const main = n.track(
    tf.layers.separableConv2d({
      filters: n.units(),
      kernelSize: k as [number, number],
      strides: n.strides(2) as [number, number],
      depthMultiplier: n.depthMultiplier,
      padding: n.pad,
      useBias,
      // tfjs builds the pointwise initializer from depthwiseInitializer (reference §0.1 #5): the real quirk.
      depthwiseInitializer: n.initFor('kernel'),
      pointwiseInitializer: n.initFor('pointwise'),
      biasInitializer: useBias ? n.initFor('bias') : undefined,
      name: n.name,
    }),
  );
  const note = REBUILD_FRAMEWORKS[n.fw].notes.separable;
  if (note) n.notes.push(note);
  return { main };
};
