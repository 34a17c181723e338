/** The parsing layer: incremental re-parse equals a fresh parse; literals and arguments as the interpreter sees them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parser } from '@lezer/python';
import { parsePython, splitArgs, stringValue, numberValue, syntaxErrors, trailingDotFloat } from '../../../src/analyzers/python/syntax';
import { TORCH } from './helpers';

const SOURCE = `${TORCH}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
`;

test('an incremental re-parse after each edit gives the same tree as a fresh parse', () => {
  let text = SOURCE;
  let seed = 99;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let previous = { text, tree: parsePython(text) };
  for (let k = 0; k < 200; k++) {
    const at = Math.floor(rnd() * text.length);
    const op = k % 3;
    if (op === 0) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 5));
    else if (op === 1) text = text.slice(0, at) + ['x', '(', ')', '\n', '    ', ':', 'nn.', '0.5, '][k % 8] + text.slice(at);
    else text = text.slice(0, at) + text.slice(at).replace(/\d/, String(k % 10));
    const inc = parsePython(text, previous);
    assert.equal(inc.toString(), parser.parse(text).toString(), `edit ${k}`);
    previous = { text, tree: inc };
  }
});

test('string, number and trailing-dot float literals; argument splitting', () => {
  assert.equal(stringValue(`'a\\nb'`), 'a\nb');
  assert.equal(stringValue(`r'a\\nb'`), 'a\\nb');
  assert.equal(stringValue(`"""x"""`), 'x');
  assert.equal(stringValue(`f'{x}'`), undefined);
  assert.deepEqual(['1_000', '0x10', '1e-3', '3j'].map(numberValue), [1000, 16, 0.001, undefined]);
  const text = 'f(scale=2., b=1.e-3)\n';
  const tree = parser.parse(text);
  assert.equal(syntaxErrors(tree, 10, text).count, 0); // valid Python, even though @lezer/python 1.1 marks an error
  const args = splitArgs(text, tree.topNode.firstChild!.firstChild!.lastChild!).args;
  assert.deepEqual(args.map((a) => [a.name, trailingDotFloat(text, a.value)]), [['scale', 2], ['b', 0.001]]);
});
