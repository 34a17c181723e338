/** Layers of the rebuild without weights drawn from an initializer: normalization, activation, dropout, pooling, shape and merge. */
import { FRAMEWORK_FACTS } from '../../core/initializers';
import { fnLayerCtor } from '../fn-layer';
import { mixSeed } from '../weights';
import { IDENTITY, type LayerBuilder } from './types';

export const input: LayerBuilder = () => ({ apply: IDENTITY });

export const normalization: LayerBuilder = (n) => {
  const { tf, kind, node } = n;
  const epsilon = node.epsilon ?? FRAMEWORK_FACTS[n.fw].normEpsilon;
  const cfg = { epsilon, gammaInitializer: n.initFor('gamma'), betaInitializer: n.initFor('beta'), name: n.name };
  const main = n.track(kind === 'batchNorm' ? tf.layers.batchNormalization({ ...cfg, axis: -1 }) : tf.layers.layerNormalization({ ...cfg, axis: -1 }));
  if (kind === 'batchNorm') n.notes.push('batch normalization runs in training mode (batch statistics)');
  return { main };
};

export const activation: LayerBuilder = (n) => {
  const act = n.node.activation;
  if (!act || act.id === undefined) n.fail(`activation${act?.text ? ` '${act.text}'` : ''} could not be resolved`);
  const id = act!.id!;
  return { main: n.makeActivation(id, n.alphaOf(id, act!.alpha)), activationId: id };
};

export const dropout: LayerBuilder = (n) => {
  const rate = n.node.rate ?? n.fail('dropout rate unknown', 'size');
  const main = n.track(n.tf.layers.dropout({ rate, seed: mixSeed(n.seed, n.node.index, 9), name: n.name }));
  n.notes.push('dropout is applied in training mode (kept units scaled by 1/(1 − rate))');
  return { main };
};

export const pooling: LayerBuilder = (n) => {
  const { tf, node } = n;
  const d = n.spatialDims;
  if (d < 1 || d > 3) n.fail(`pooling needs a spatial input, got [${n.x0}]`);
  if (!node.poolSize) n.notes.push('pool size not in the description: 2');
  const ps = node.poolSize ?? Array.from({ length: d }, () => 2);
  const st = node.strides ?? ps;
  const max = node.pooling === 'max';
  const cfg = { padding: n.pad, name: n.name };
  const main = n.track(
    d === 1
      ? (max ? tf.layers.maxPooling1d : tf.layers.averagePooling1d)({ ...cfg, poolSize: ps[0], strides: st[0] })
      : d === 2
        ? (max ? tf.layers.maxPooling2d : tf.layers.averagePooling2d)({ ...cfg, poolSize: ps as [number, number], strides: st as [number, number] })
        : (max ? tf.layers.maxPooling3d : tf.layers.averagePooling3d)({
            ...cfg,
            poolSize: ps as [number, number, number],
            strides: st as [number, number, number],
          }),
  );
  return { main };
};

export const globalPooling: LayerBuilder = (n) => {
  const { tf, name } = n;
  const d = n.spatialDims;
  const max = n.node.pooling === 'max';
  if (d === 1) return { main: n.track((max ? tf.layers.globalMaxPooling1d : tf.layers.globalAveragePooling1d)({ name })) };
  if (d === 2) return { main: n.track((max ? tf.layers.globalMaxPooling2d : tf.layers.globalAveragePooling2d)({ name })) };
  if (d < 3) return n.fail(`global pooling needs a spatial input, got [${n.x0}]`);
  const axes = Array.from({ length: d }, (_, i) => i + 1);
  const Ctor = fnLayerCtor(tf);
  return { main: n.track(new Ctor({ name, fn: (x) => (max ? tf.max(x, axes) : tf.mean(x, axes)), shape: (s) => [s[s.length - 1]] })) };
};

export const flatten: LayerBuilder = (n) => ({ main: n.track(n.tf.layers.flatten({ name: n.name })) });

export const reshape: LayerBuilder = (n) => {
  n.notes.push('reshape target not in the description: rebuilt as the identity');
  return { apply: IDENTITY };
};

export const add: LayerBuilder = (n) => (n.inShapes.length < 2 ? { apply: IDENTITY } : { main: n.track(n.tf.layers.add({ name: n.name })) });

export const concatenate: LayerBuilder = (n) =>
  n.inShapes.length < 2 ? { apply: IDENTITY } : { main: n.track(n.tf.layers.concatenate({ axis: -1, name: n.name })) };
