import { beforeAll, describe, expect, it } from 'vitest';
import { nonDraft4Keywords } from '../../src/api/request-models.js';
import { resourcesOf, type Synthesized } from './synth.js';
import { synthesizeVariants, VARIANTS, type Variant, variantName } from './variants.js';

/** Rules AWS enforces only at deploy time, checked on the templates of every variant (see variants.ts). */
let variants: [Variant, Synthesized][];
beforeAll(() => {
  variants = synthesizeVariants();
}, 240_000);

describe.each(VARIANTS.map(variantName))('the %s templates', (name) => {
  const synthesized = (): Synthesized => {
    const found = variants.find(([variant]) => variantName(variant) === name);
    if (!found) throw new Error(`no variant ${name}`);
    return found[1];
  };

  it('have API Gateway models that use draft-04 keywords only', () => {
    const models = resourcesOf(synthesized().api, 'AWS::ApiGateway::Model');
    expect(models.length).toBeGreaterThan(0);
    for (const [id, model] of models) expect(nonDraft4Keywords(model.Properties.Schema), id).toEqual([]);
  });
});
