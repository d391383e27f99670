import { describe, expect, it } from 'vitest';
import { CategoryModelCache } from '../../src/modules/intelligence/categories/model-cache.js';
import { calibrate, logScores, probabilities, suggest, trainNaiveBayes } from '../../src/modules/intelligence/categories/naive-bayes.js';
import { tokensOf } from '../../src/modules/intelligence/categories/tokens.js';

const docs = [
  { category: 'Tea', tokens: tokensOf('Green tea', 'loose leaf green tea') },
  { category: 'Tea', tokens: tokensOf('Black tea', 'strong black leaf') },
  { category: 'Shoes', tokens: tokensOf('Running shoes', 'light running sole') },
];

describe('naive Bayes categories', () => {
  it('tokenizes lower-cased words without stop words', () => {
    expect(tokensOf('The Green-Tea of Assam', null, '2 x 50g')).toEqual(['green', 'tea', 'assam', '50g']);
  });

  it('scores by hand: log prior plus add-one smoothed token likelihoods', () => {
    const model = trainNaiveBayes(docs);
    expect(model.categories.map((c) => [c.name, c.documents, c.tokens])).toEqual([
      ['Shoes', 1, 5],
      ['Tea', 2, 11], // green tea loose leaf green tea + black tea strong black leaf
    ]);
    // vocabulary: running shoes light sole green tea loose leaf black strong = 10
    expect(model.vocabulary).toBe(10);
    const [shoes, tea] = logScores(model, ['leaf', 'unknown']);
    expect(shoes).toBeCloseTo(Math.log(1 / 3) + Math.log(1 / 15), 12);
    expect(tea).toBeCloseTo(Math.log(2 / 3) + Math.log(3 / 21), 12);
  });

  it('suggests the most likely category first with probabilities that sum to 1', () => {
    const model = trainNaiveBayes(docs);
    const suggestions = suggest(model, tokensOf('Trail running shoes'), 3);
    expect(suggestions.map((s) => s.category)).toEqual(['Shoes', 'Tea']);
    expect(suggestions[0]!.confidence + suggestions[1]!.confidence).toBeCloseTo(1, 12);
    expect(suggest(model, ['leaf'], 1)).toHaveLength(1);
  });

  it('leave-one-out removes the document from its own category', () => {
    const model = trainNaiveBayes(docs);
    const [shoes] = logScores(model, docs[2]!.tokens, docs[2]);
    expect(shoes).toBe(-Infinity); // Shoes had only that document
  });

  it('calibration picks a temperature that flattens over-confident posteriors', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ category: i % 2 ? 'A' : 'B', tokens: ['shared', 'shared', 'shared', i % 5 === 0 ? 'a' : 'b', `own${i}`] }));
    const model = calibrate(trainNaiveBayes(many), many);
    expect(model.temperature).toBeGreaterThan(1);
    expect(probabilities([0, -Infinity], 1)).toEqual([1, 0]);
  });

  it('keeps a parsed model while its training time is the stored one, and drops the least recently used seller', () => {
    const cache = new CategoryModelCache(2);
    const model = trainNaiveBayes(docs);
    const at = new Date('2026-01-01T00:00:00.000Z');
    cache.set('a', at, model);
    cache.set('b', at, model);
    expect(cache.get('a', at)).toBe(model);
    expect(cache.get('a', new Date(at.getTime() + 1))).toBeNull(); // retrained since
    cache.set('c', at, model); // b is the least recently used
    expect(cache.get('b', at)).toBeNull();
    expect(cache.get('a', at)).toBe(model);
    expect(cache.get('c', at)).toBe(model);
  });
});
