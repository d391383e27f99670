/** One category of a trained model: how many products it had and how often each token occurred in them. */
export interface CategoryCounts {
  name: string;
  documents: number;
  tokens: number;
  counts: Record<string, number>;
}

/** A multinomial naive Bayes model with add-one smoothing; `temperature` calibrates its probabilities. */
export interface CategoryModel {
  documents: number;
  vocabulary: number;
  categories: CategoryCounts[];
  temperature: number;
}

export interface LabelledDocument {
  category: string;
  tokens: string[];
}

export function trainNaiveBayes(documents: readonly LabelledDocument[]): CategoryModel {
  const byName = new Map<string, CategoryCounts>();
  const vocabulary = new Set<string>();
  for (const doc of documents) {
    let category = byName.get(doc.category);
    if (!category) byName.set(doc.category, (category = { name: doc.category, documents: 0, tokens: 0, counts: Object.create(null) as Record<string, number> }));
    category.documents++;
    for (const token of doc.tokens) {
      category.counts[token] = (category.counts[token] ?? 0) + 1;
      category.tokens++;
      vocabulary.add(token);
    }
  }
  const categories = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { documents: documents.length, vocabulary: vocabulary.size, categories, temperature: 1 };
}

/**
 * Log-posterior (up to a constant) of each category for the tokens; with `leaveOut`, as if that
 * training document had not been seen (leave-one-out without retraining). Tokens the model never
 * saw carry no evidence and are skipped.
 */
export function logScores(model: CategoryModel, tokens: readonly string[], leaveOut?: LabelledDocument): number[] {
  const documents = model.documents - (leaveOut ? 1 : 0);
  const own = new Map<string, number>();
  if (leaveOut) for (const token of leaveOut.tokens) own.set(token, (own.get(token) ?? 0) + 1);
  const countIn = (category: CategoryCounts, token: string) => (category.counts[token] ?? 0) - (leaveOut?.category === category.name ? (own.get(token) ?? 0) : 0);
  const known = tokens.filter((token) => model.categories.some((c) => countIn(c, token) > 0));
  return model.categories.map((category) => {
    const left = leaveOut?.category === category.name;
    const docs = category.documents - (left ? 1 : 0);
    if (docs <= 0) return -Infinity;
    const total = category.tokens - (left ? leaveOut.tokens.length : 0);
    let score = Math.log(docs / documents);
    for (const token of known) score += Math.log((countIn(category, token) + 1) / (total + model.vocabulary));
    return score;
  });
}

/** Softmax of the scores divided by the temperature. */
export function probabilities(scores: readonly number[], temperature: number): number[] {
  const finite = scores.filter(Number.isFinite);
  if (finite.length === 0) return scores.map(() => 0);
  const top = Math.max(...finite);
  const weights = scores.map((s) => (Number.isFinite(s) ? Math.exp((s - top) / temperature) : 0));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

export interface Suggestion {
  category: string;
  confidence: number;
}

export function suggest(model: CategoryModel, tokens: readonly string[], first: number): Suggestion[] {
  if (model.categories.length === 0) return [];
  const p = probabilities(logScores(model, tokens), model.temperature);
  return model.categories
    .map((c, i) => ({ category: c.name, confidence: p[i]! }))
    .sort((a, b) => b.confidence - a.confidence || (a.category < b.category ? -1 : 1))
    .slice(0, first);
}

const TEMPERATURES = [1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32];

/**
 * Naive Bayes counts every token as independent evidence, so its raw probabilities are far too
 * sure. The temperature that minimises the leave-one-out log loss on (a sample of) the training
 * products makes them calibrated; it is stored with the model.
 */
export function calibrate(model: CategoryModel, sample: readonly LabelledDocument[]): CategoryModel {
  if (sample.length === 0 || model.categories.length < 2) return model;
  const scored = sample.map((doc) => ({ scores: logScores(model, doc.tokens, doc), truth: model.categories.findIndex((c) => c.name === doc.category) }));
  let best = { temperature: 1, loss: Infinity };
  for (const temperature of TEMPERATURES) {
    let loss = 0;
    for (const { scores, truth } of scored) loss -= Math.log(Math.max(probabilities(scores, temperature)[truth]!, 1e-12));
    if (loss < best.loss) best = { temperature, loss };
  }
  return { ...model, temperature: best.temperature };
}
