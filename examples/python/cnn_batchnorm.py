"""A small CIFAR-10 CNN: conv -> BatchNorm -> ReLU blocks, PyTorch's default initialization.

What InitLens should report: nothing.

Why: nn.Conv2d's default U(+-1/sqrt(fan_in)) is scaled for linear units (x0.17 per layer in front of a ReLU), but
here a BatchNorm2d sits between every convolution and its ReLU. Batch normalization divides by the batch's
standard deviation, so whatever the convolution's scale, the ReLU sees unit-variance inputs: the default is
harmless and relu-needs-he is not reported. The bias-free convolutions (bias=False before BatchNorm) are the
usual practice. The read-out Linear follows global average pooling of normalized, rectified features.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(c_in, c_out, stride=1):
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel_size=3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn(3, 32),
            conv_bn(32, 32),
            nn.MaxPool2d(2),
            conv_bn(32, 64),
            conv_bn(64, 64),
            nn.MaxPool2d(2),
            conv_bn(64, 128, stride=2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.25)
        self.classifier = nn.Linear(128, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(self.pool(x), 1)
        return self.classifier(self.dropout(x))


model = SmallCNN()
