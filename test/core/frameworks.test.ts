/**
 * The framework seam (src/core/frameworks/): the registry lists every framework of the `Framework` union (a
 * compile-time check here), and each framework's entry is complete: every spelling resolves to one spec, every
 * weight a layer has in the framework's layout has a default that resolves, every activation spelling and fact
 * names a known activation, every recommendation and every VarianceScaling distribution is something the
 * framework can realize.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { activationSpec, resolveActivation } from '../../src/core/activations';
import { FRAMEWORKS, type FrameworkSemantics } from '../../src/core/frameworks';
import { allInitializers, defaultInitializerId, initializerSpec, resolveInitializer, type WeightSlot } from '../../src/core/initializers';
import type { Framework, LayerKind, LayerNode } from '../../src/core/model';
import { realize } from '../../src/core/realize';

// Compile-time exhaustiveness: adding a framework to the `Framework` union makes `_everyFramework` fail to
// typecheck until it is listed here, and then the registry test below fails until it is registered.
const EVERY_FRAMEWORK = ['tfjs', 'keras', 'pytorch'] as const satisfies readonly Framework[];
type Unlisted = Exclude<Framework, (typeof EVERY_FRAMEWORK)[number]>;
const _everyFramework: [Unlisted] extends [never] ? true : Unlisted = true;
void _everyFramework;
void (FRAMEWORKS satisfies Record<Framework, FrameworkSemantics>);

const SLOTS: WeightSlot[] = ['kernel', 'recurrent', 'bias', 'pointwise', 'embeddings', 'gamma', 'beta'];
const KINDS_WITH_WEIGHTS: LayerKind[] = [
  'dense', 'conv', 'convTranspose', 'depthwiseConv', 'separableConv', 'simpleRNN', 'lstm', 'gru', 'embedding', 'batchNorm', 'layerNorm',
];

/** A layer with every size known (conv kernels 3×3, groups 1). */
function sizedLayer(kind: LayerKind): LayerNode {
  return { index: 0, kind, op: kind, inputs: [], span: { start: 0, end: 0 }, inFeatures: 8, outFeatures: 16, kernelSize: [3, 3], depthMultiplier: 2 };
}

test('the registry holds exactly the frameworks of the union, each under its own id', () => {
  assert.deepEqual(Object.keys(FRAMEWORKS).sort(), [...EVERY_FRAMEWORK].sort());
  for (const fw of EVERY_FRAMEWORK) assert.equal(FRAMEWORKS[fw].id, fw);
});

for (const fw of EVERY_FRAMEWORK) {
  const sem = FRAMEWORKS[fw];
  describe(`${fw}: the registry entry is complete`, () => {
    test('every id, class name and alias resolves to its spec, and no spelling names two specs', () => {
      const owner = new Map<string, string>();
      for (const spec of allInitializers(fw)) {
        assert.equal(spec.framework, fw);
        for (const name of [spec.id, ...(spec.className ? [spec.className] : []), ...spec.aliases]) {
          assert.equal(resolveInitializer(fw, name), spec, `${name} → ${spec.id}`);
          assert.ok(!owner.has(name) || owner.get(name) === spec.id, `${name} names both ${owner.get(name)} and ${spec.id}`);
          owner.set(name, spec.id);
        }
      }
    });

    test('every weight a layer has in the framework layout has a default initializer that resolves', () => {
      let weights = 0;
      for (const kind of KINDS_WITH_WEIGHTS) {
        for (const slot of SLOTS) {
          const layout = sem.weightLayout(sizedLayer(kind), slot);
          const id = defaultInitializerId(fw, kind, slot);
          if (typeof layout === 'string') {
            assert.equal(id, undefined, `${kind}.${slot}: a default for a weight the layout says the layer lacks (${layout})`);
            continue;
          }
          weights++;
          assert.ok(id !== undefined, `${kind}.${slot} has no default`);
          assert.ok(initializerSpec(fw, id), `${kind}.${slot}: default '${id}' is not a ${fw} initializer`);
        }
      }
      assert.ok(weights >= 20, `only ${weights} weights laid out`);
    });

    test('every default realizes a distribution for a fully sized layer', () => {
      for (const kind of KINDS_WITH_WEIGHTS) {
        for (const slot of SLOTS) {
          const id = defaultInitializerId(fw, kind, slot);
          if (!id) continue;
          const ref = { framework: fw, id, args: {}, unknownArgs: [], falsyArgs: [], explicit: false, form: 'default' as const };
          const layout = sem.weightLayout(sizedLayer(kind), slot);
          assert.ok(typeof layout !== 'string');
          const f = sem.fansOfShape(layout.shape);
          const r = realize(ref, { ...f, fanIn: f.fanIn ?? layout.fanIn, shape: layout.shape, hiddenSize: layout.hiddenSize });
          assert.ok(r && Number.isFinite(r.variance), `${kind}.${slot} default '${id}' does not realize`);
        }
      }
    });

    test('every activation spelling and the recurrent activation name a known activation', () => {
      for (const [name, { id }] of Object.entries(sem.activationNames)) {
        assert.ok(activationSpec(id), `${name} → unknown activation '${id}'`);
        assert.equal(resolveActivation(fw, name)?.id, id);
      }
      assert.ok(activationSpec(sem.facts.recurrentActivation), sem.facts.recurrentActivation);
      assert.equal(resolveActivation(fw, 'LeakyReLU') !== undefined, sem.activationNamesIgnoreCase);
    });

    test('every recommendation is an initializer of the framework', () => {
      for (const target of ['he', 'glorot', 'lecun', 'orthogonal'] as const) {
        for (const normal of [false, true]) {
          for (const alpha of [undefined, 0.2]) {
            const { id } = sem.recommend({ target, normal, alpha });
            assert.ok(initializerSpec(fw, id), `${target}${normal ? ' normal' : ''}: '${id}'`);
          }
        }
      }
    });

    test('the plain normal the preview writes (plainNormal) realizes an untruncated normal of variance stddev²', () => {
      const ref = { framework: fw, id: sem.plainNormal, args: { mean: 0, stddev: 0.0123 }, unknownArgs: [], falsyArgs: [], explicit: true, form: 'factory' as const };
      const r = realize(ref, { fanIn: 64, fanOut: 32, shape: [64, 32] });
      assert.equal(r?.distribution, 'normal', `${sem.plainNormal} samples ${r?.distribution}`);
      assert.equal(r!.mean, 0);
      assert.ok(Math.abs(r!.variance - 0.0123 ** 2) <= 1e-15, `variance ${r!.variance}`);
    });

    test('every VarianceScaling spec samples a law the framework defines', () => {
      const vsSpecs = allInitializers(fw).filter((s) => s.kind === 'varianceScaling');
      if (vsSpecs.length === 0) return;
      const rules = sem.realize.varianceScaling;
      assert.ok(rules, `${fw} has VarianceScaling initializers but no rules for them`);
      for (const spec of vsSpecs) {
        const d = spec.defaults.distribution ?? rules.defaultDistribution;
        assert.ok(rules.samples[rules.renamed[d] ?? d], `${spec.id}: distribution '${d}'`);
      }
    });
  });
}
