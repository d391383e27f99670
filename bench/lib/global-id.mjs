// The API's global ids (src/graphql/global-id.ts): base64url of `Type:key`. The bench seeds rows
// with SQL, so it knows their keys and builds the ids the API expects from them.
export const toGlobalId = (type, key) => Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
