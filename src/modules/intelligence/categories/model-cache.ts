import type { CategoryModel } from './naive-bayes.js';

/**
 * Parsed classifiers of the sellers asked about lately, each valid while its trainedAt is the
 * stored one: a suggestion then reads one timestamp, not the whole model. Least recently used
 * sellers leave first.
 */
export class CategoryModelCache {
  private readonly models = new Map<string, { trainedAt: number; model: CategoryModel }>();

  constructor(private readonly capacity = 100) {}

  get(sellerId: string, trainedAt: Date): CategoryModel | null {
    const entry = this.models.get(sellerId);
    if (!entry || entry.trainedAt !== trainedAt.getTime()) return null;
    this.models.delete(sellerId);
    this.models.set(sellerId, entry);
    return entry.model;
  }

  set(sellerId: string, trainedAt: Date, model: CategoryModel): void {
    this.models.delete(sellerId);
    this.models.set(sellerId, { trainedAt: trainedAt.getTime(), model });
    if (this.models.size > this.capacity) this.models.delete(this.models.keys().next().value!);
  }
}
