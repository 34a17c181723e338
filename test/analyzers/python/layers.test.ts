/** Layer types and forms beyond the basics, in both frameworks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KERAS, TORCH, byName, chain, one, sizes } from './helpers';

test('PyTorch: nn.Sequential subclass, super(Net, self), Conv1d/ConvTranspose2d/Conv3d, RNN(relu), cells, stack, Identity', () => {
  const text = `${TORCH}
class Block(nn.Sequential):
    def __init__(self, c_in, c_out):
        super().__init__(nn.Conv1d(c_in, c_out, 5, padding=2), nn.BatchNorm1d(c_out), nn.ReLU())

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.b1 = Block(4, 16)
        self.rnn = nn.RNN(16, 32, nonlinearity="relu")
        self.cell = nn.LSTMCell(32, 32)
        self.id = nn.Identity()
        self.fc = nn.Linear(32, 2)
        nn.init.orthogonal_(self.rnn.weight_hh_l0)
        nn.init.eye_(self.fc.weight)
        nn.init.ones_(self.cell.bias_ih)
        nn.init.constant_(self.cell.bias_hh, 0.5)

    def forward(self, x):
        x = F.max_pool1d(self.b1(x), 2)
        x, h = self.rnn(x.permute(2, 0, 1))
        h2, c2 = self.cell(x)
        y = torch.stack([h2, self.id(c2)], dim=0)
        return self.fc(y.view(y.size(0), -1))
`;
  const m = one(text);
  assert.deepEqual(chain(m), ['conv', 'batchNorm', 'relu', 'pooling', 'simpleRNN', 'lstm', 'concatenate', 'dense']);
  assert.deepEqual([byName(m, 'b1.0').kernelSize, byName(m, 'b1.0').inFeatures], [[5], 4]);
  const rnn = byName(m, 'rnn');
  assert.deepEqual([rnn.activation?.id, rnn.recurrent?.id, rnn.kernel?.id], ['relu', 'orthogonal_', 'default_rnn']);
  const cell = byName(m, 'cell');
  assert.deepEqual([cell.timeSteps, cell.bias?.id], [1, 'ones_']);
  assert.equal(m.layers.find((l) => l.kind === 'concatenate')?.outFeatures, 32); // stack: a new axis, features not summed
  assert.equal(byName(m, 'fc').kernel?.id, 'eye_');
});

test('PyTorch: ConvTranspose2d, Conv3d groups, unknown kernel size stays unknown', () => {
  const text = `${TORCH}
class Dec(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.up = nn.ConvTranspose2d(16, 8, kernel_size=4, stride=2, padding=1)
        self.c3 = nn.Conv3d(8, 8, (3, 3, 3), groups=8)
        self.ck = nn.Conv2d(8, 8, k)

    def forward(self, x):
        return self.ck(F.relu(self.c3(F.relu(self.up(x)))))
`;
  const m = one(text);
  const up = byName(m, 'up');
  assert.deepEqual([up.kind, up.inFeatures, up.outFeatures, up.kernelSize, up.strides], ['convTranspose', 16, 8, [4, 4], [2, 2]]);
  assert.deepEqual([byName(m, 'c3').groups, byName(m, 'c3').kernelSize], [8, [3, 3, 3]]);
  assert.equal(byName(m, 'ck').kernelSize, undefined);
});

test('PyTorch: slices of containers, negative indices, len(), enumerate over a ModuleList, getattr on modules', () => {
  const text = `${TORCH}
class Net(nn.Module):
    def __init__(self, sizes=(8, 16, 32, 4)):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        for i in range(len(sizes) - 1):
            setattr(self, f"act{i}", nn.Tanh())

    def forward(self, x):
        for i, layer in enumerate(self.layers[:-1]):
            x = getattr(self, "act0")(layer(x))
        return self.layers[-1](x)
`;
  const m = one(text);
  assert.deepEqual(sizes(m), [[8, 16], [16, 16], [16, 32], [32, 32], [32, 4]]);
  assert.deepEqual(chain(m), ['dense', 'tanh', 'dense', 'tanh', 'dense']);
});

test('Keras: InputLayer, depthwise/separable/transposed convolutions, normalization epsilon, Reshape, RNN stack', () => {
  const text = `import tensorflow as tf
from tensorflow.keras import layers, models, initializers
m = models.Sequential()
m.add(layers.InputLayer(input_shape=(64, 64, 3)))
m.add(layers.Conv2D(32, 3, padding="same", activation="relu", kernel_initializer="he_uniform"))
m.add(layers.DepthwiseConv2D(3, depth_multiplier=2, activation="relu"))
m.add(layers.SeparableConv2D(64, 3, activation="relu"))
m.add(layers.Conv2DTranspose(16, 3, strides=2))
m.add(layers.BatchNormalization(epsilon=1e-5))
m.add(layers.GlobalAveragePooling2D())
m.add(layers.Dropout(0.3))
m.add(layers.Reshape((4, 4)))
m.add(layers.LayerNormalization())
m.add(layers.Conv1D(8, 2, kernel_initializer=initializers.TruncatedNormal(stddev=0.02)))
m.add(layers.SimpleRNN(16, return_sequences=True))
m.add(layers.GRU(8))
m.add(layers.Dense(1))
`;
  const m = one(text);
  assert.deepEqual(chain(m), ['input', 'conv', 'depthwiseConv', 'separableConv', 'convTranspose', 'batchNorm', 'globalPooling', 'dropout', 'reshape', 'layerNorm', 'conv', 'simpleRNN', 'gru', 'dense'].filter((k) => k !== 'input'));
  assert.deepEqual(m.layers[0].kind, 'input');
  assert.deepEqual(m.layers[0].inputShape, [64, 64, 3]);
  const dw = m.layers.find((l) => l.kind === 'depthwiseConv')!;
  assert.deepEqual([dw.inFeatures, dw.outFeatures, dw.depthMultiplier], [32, 64, 2]);
  assert.equal(m.layers.find((l) => l.kind === 'separableConv')!.pointwise?.id, 'glorot_uniform');
  assert.equal(m.layers.find((l) => l.kind === 'batchNorm')!.epsilon, 1e-5);
  assert.deepEqual(m.layers.find((l) => l.kind === 'reshape')!.outFeatures, 4);
  const c1 = m.layers.filter((l) => l.kind === 'conv')[1];
  assert.deepEqual([c1.inFeatures, c1.kernelSize, c1.kernel?.id, c1.kernel?.args], [4, [2], 'truncated_normal', { stddev: 0.02 }]);
  assert.deepEqual(m.layers.find((l) => l.kind === 'gru')!.inFeatures, 16);
});

test('Keras: Embedding input_length, TimeDistributed, Flatten sizes; keras.Input in a Sequential list', () => {
  const text = `${KERAS}
e = keras.Sequential([layers.Embedding(1000, 32, input_length=20), layers.TimeDistributed(layers.Dense(8, activation="tanh")), layers.Flatten(), layers.Dense(1)])
f = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(4), layers.Dense(1)])
`;
  const r = [one(text.split('\nf =')[0] + '\n'), one(text.replace(/^e = .*$/m, ''))];
  assert.deepEqual(sizes(r[0]), [[1000, 32], [32, 8], [8, 160], [160, 1]]);
  assert.deepEqual([r[0].layers[1].wrapper, r[0].layers[1].timeSteps ?? 20], ['timeDistributed', 20]);
  assert.deepEqual(r[1].layers.map((l) => l.kind), ['input', 'dense', 'dense']);
  assert.deepEqual(r[1].layers[1].inFeatures, 10);
});
