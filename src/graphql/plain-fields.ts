import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql gives every plain property field (`@Field() name`) a resolver of its own that
 * builds a resolver-data object and runs the field's middlewares and auth checker, none of
 * which this API uses: 300 such calls for a page of 50 products. With `simpleResolvers` the
 * field has no resolver and graphql-js reads the property itself. Call before buildSchema.
 * An object type with a field middleware or an @Authorized field keeps the wrapping.
 */
export function readPlainFieldsDirectly(): void {
  const storage = getMetadataStorage();
  const wrapped = new Set<unknown>([
    ...storage.middlewares.map((m) => m.target),
    ...storage.resolverMiddlewares.map((m) => m.target),
    ...storage.authorizedFields.map((a) => a.target),
    ...storage.authorizedResolver.map((a) => a.target),
  ]);
  for (const objectType of storage.objectTypes) {
    if (!wrapped.has(objectType.target)) objectType.simpleResolvers ??= true;
  }
}
