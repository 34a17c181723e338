/** Real engine output on the real example files, for the extension's logic tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FileReport } from '../../src/core/report';
import { checkText, type CheckOptions } from '../../src/engine/check';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXAMPLES = join(ROOT, 'examples');
export const REPOSITORY = { type: 'git', url: 'https://github.com/initlens/initlens' };

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES)
    .filter((f) => /\.(ts|js)$/.test(f))
    .sort();
}

export function example(name: string): string {
  return readFileSync(join(EXAMPLES, name), 'utf8');
}

export function check(name: string, options: CheckOptions = {}): { text: string; report: FileReport } {
  const text = example(name);
  return { text, report: checkText(text, name, options) };
}

export function checkSource(text: string, name = 'model.ts', options: CheckOptions = {}): FileReport {
  return checkText(text, name, options);
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Two PyTorch modules: a deep ReLU MLP with xavier_normal_ (vanishing) and a small one with xavier_uniform_. */
export const TORCH_MODELS = `import torch
from torch import nn
import torch.nn.functional as F


class DeepMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(512, 512) for _ in range(8)])
        self.out = nn.Linear(512, 10)
        for layer in self.layers:
            nn.init.xavier_normal_(layer.weight)

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return self.out(x)


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)
        nn.init.xavier_uniform_(self.fc1.weight)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
`;
