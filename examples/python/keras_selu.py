"""A self-normalizing network in Keras whose layers keep the default initializer.

What InitLens should report: selu-needs-lecun on each SELU layer (as information: the initializer is Keras's
default, not a choice).

Why: SELU keeps activations at zero mean and unit variance only when the weights have Var(W) = 1/fan_in, i.e.
LeCun normal (Klambauer et al. 2017, arXiv:1706.02515). Keras's Dense defaults to glorot_uniform,
Var(W) = 2/(fan_in + fan_out): fan_in * Var(W) = 1.2 for 784 -> 512 and 1.3 for 512 -> 256 and 256 -> 128, so
the self-normalizing fixed point is not where the network starts. The fix writes
kernel_initializer="lecun_normal" (AlphaDropout, used here, is the dropout that goes with SELU).
"""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        layers.Dense(512, activation="selu", input_shape=(784,)),
        layers.AlphaDropout(0.05),
        layers.Dense(256, activation="selu"),
        layers.Dense(128, activation="selu"),
        layers.Dense(10, activation="softmax"),
    ],
    name="selu_mlp",
)

model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
