/** Dense and convolution layers of the rebuild (tfjs layers with the node's initializers). */
import type * as TFNS from '@tensorflow/tfjs';
import type { LayerBuilder } from './types';

export const dense: LayerBuilder = (n) => {
  // A tfjs Dense acts on the last axis of any rank: TimeDistributed(Dense) is the same map, so no wrapper.
  const { tf, useBias } = n;
  const u = n.units();
  const main = n.track(
    tf.layers.dense({
      units: u,
      useBias,
      kernelInitializer: n.initFor('kernel'),
      biasInitializer: useBias ? n.initFor('bias') : undefined,
      name: n.name,
    }),
  );
  return {
    main,
    direct: (x, k) => {
      if (x.rank === 2) return tf.matMul(x as TFNS.Tensor2D, k as TFNS.Tensor2D);
      const lead = x.shape.slice(0, -1);
      return tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]) as TFNS.Tensor2D, k as TFNS.Tensor2D), [...lead, u]);
    },
  };
};

export const conv: LayerBuilder = (n) => {
  const { tf, useBias, pad } = n;
  const k = n.kernelSize();
  const d = k.length;
  if (n.spatialDims !== d) n.fail(`a ${d}-D convolution needs an input of rank ${d + 1} (without batch), got [${n.x0}]`);
  const s = n.strides(d);
  const cfg = {
    filters: n.units(),
    useBias,
    padding: pad,
    kernelInitializer: n.initFor('kernel'),
    biasInitializer: useBias ? n.initFor('bias') : undefined,
    name: n.name,
  };
  const main = n.track(
    d === 1
      ? tf.layers.conv1d({ ...cfg, kernelSize: k[0], strides: s[0] })
      : d === 2
        ? tf.layers.conv2d({ ...cfg, kernelSize: k, strides: s })
        : d === 3
          ? tf.layers.conv3d({ ...cfg, kernelSize: k, strides: s })
          : n.fail(`${d}-D convolution is not supported`),
  );
  // Only the 2-D convolution layer calls a fused op (tf.fused.conv2d); conv1d / conv3d are unfused already.
  if (d !== 2) return { main };
  return { main, direct: (x, kern) => tf.conv2d(x as TFNS.Tensor4D, kern as TFNS.Tensor4D, s as [number, number], pad, 'NHWC') };
};

export const convTranspose: LayerBuilder = (n) => {
  const { tf, useBias } = n;
  const k = n.kernelSize();
  const d = k.length;
  if (n.spatialDims !== d) n.fail(`a ${d}-D transposed convolution needs an input of rank ${d + 1}, got [${n.x0}]`);
  const cfg = {
    filters: n.units(),
    useBias,
    padding: n.pad,
    kernelSize: k,
    strides: n.strides(d),
    kernelInitializer: n.initFor('kernel'),
    biasInitializer: useBias ? n.initFor('bias') : undefined,
    name: n.name,
  };
  const main = n.track(
    d === 2
      ? tf.layers.conv2dTranspose(cfg)
      : d === 3
        ? tf.layers.conv3dTranspose(cfg)
        : n.fail(`TensorFlow.js has no ${d}-D transposed convolution`),
  );
  return { main };
};

export const depthwiseConv: LayerBuilder = (n) => {
  const { tf, useBias, node, inC } = n;
  const k = n.kernelSize();
  if (k.length !== 2 || n.spatialDims !== 2) n.fail('TensorFlow.js has only a 2-D depthwise convolution');
  const mult = n.depthMultiplier ?? (node.outFeatures && inC ? node.outFeatures / inC : 1);
  if (!Number.isInteger(mult) || mult < 1) n.fail(`depth multiplier ${mult} is not a positive integer`);
  n.depthMultiplier = mult;
  const main = n.track(
    tf.layers.depthwiseConv2d({
      kernelSize: k as [number, number],
      strides: n.strides(2) as [number, number],
      depthMultiplier: mult,
      padding: n.pad,
      useBias,
      depthwiseInitializer: n.initFor('kernel'),
      biasInitializer: useBias ? n.initFor('bias') : undefined,
      name: n.name,
    }),
  );
  return { main };
};
