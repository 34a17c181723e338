/** Recurrent and embedding layers of the rebuild. */
import type * as TFNS from '@tensorflow/tfjs';
import { FRAMEWORK_FACTS } from '../../core/initializers';
import type { Layer } from '../build-types';
import { tfjsActivationName } from '../activations';
import { REBUILD_FRAMEWORKS } from '../frameworks';
import type { LayerBuilder, NodeContext } from './types';

/** The tfjs names of the cell's activation and gate activation (the framework's defaults where not written). */
function cellActivations(n: NodeContext): { actId: string; actName: string; gateName: string } {
  const { node, fail } = n;
  const actId = node.activation?.id ?? (node.activation ? fail('activation could not be resolved') : 'tanh');
  const actName = tfjsActivationName(actId, node.activation?.alpha) ?? fail(`activation '${actId}' cannot be used inside a tfjs recurrent layer`);
  const gateId = node.recurrentActivation
    ? (node.recurrentActivation.id ?? fail('recurrent activation could not be resolved'))
    : FRAMEWORK_FACTS[n.fw].recurrentActivation;
  const gateName =
    tfjsActivationName(gateId, node.recurrentActivation?.alpha) ?? fail(`recurrent activation '${gateId}' cannot be used inside a tfjs recurrent layer`);
  return { actId, actName, gateName };
}

export const recurrent: LayerBuilder = (n) => {
  const { tf, node, kind, useBias } = n;
  if (n.rank !== 2) n.fail(`a recurrent layer needs an input [time, features], got [${n.x0}]`);
  const { actId, actName, gateName } = cellActivations(n);
  const rf = REBUILD_FRAMEWORKS[n.fw];
  const cfg = {
    units: n.units(),
    activation: actName as 'tanh',
    useBias,
    returnSequences: node.returnSequences ?? FRAMEWORK_FACTS[n.fw].returnSequencesDefault,
    kernelInitializer: n.initFor('kernel'),
    recurrentInitializer: n.initFor('recurrent'),
    biasInitializer: useBias ? n.initFor('bias') : undefined,
    name: n.name,
  };
  let rnn: Layer;
  if (kind === 'simpleRNN') rnn = tf.layers.simpleRNN(cfg);
  else if (kind === 'lstm') {
    // tfjs: as written (undefined = off); Keras's bias is drawn by its sampler with unit_forget_bias (weights.ts).
    const unitForgetBias = rf.forgetBias?.by === 'layer' ? node.unitForgetBias : false;
    rnn = tf.layers.lstm({ ...cfg, recurrentActivation: gateName as 'sigmoid', unitForgetBias });
  } else {
    rnn = tf.layers.gru({ ...cfg, recurrentActivation: gateName as 'sigmoid' }); // tfjs: reset-before only
    if (rf.notes.gru) n.notes.push(rf.notes.gru);
  }
  let main: Layer;
  if (node.wrapper === 'bidirectional') {
    n.created.push(rnn);
    main = n.track(tf.layers.bidirectional({ layer: rnn as TFNS.RNN, mergeMode: 'concat', name: `${n.name}_bi` }));
  } else main = n.track(rnn);
  if (rf.twoRecurrentBiases && useBias) n.notes.push(rf.twoRecurrentBiases.layerNote);
  return { main, activationId: actId };
};

export const embedding: LayerBuilder = (n) => {
  const vocab = n.node.inFeatures ?? n.fail('vocabulary size unknown', 'size');
  const main = n.track(
    n.tf.layers.embedding({ inputDim: vocab, outputDim: n.units(), embeddingsInitializer: n.initFor('embeddings'), name: n.name }),
  );
  return { main };
};
