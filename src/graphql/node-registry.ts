import type { Context } from './context.js';
import { badUserInput } from './errors.js';
import { fromGlobalId, serialKeyOfInput, toGlobalId, uuidKeyOfInput, type NodeType } from './global-id.js';

/** How a type's key sits inside its global id. */
export type NodeKey = 'serial' | 'uuid' | 'text';

type Loader<K> = (ctx: Context, key: K) => Promise<object | null>;

interface Registration {
  type: NodeType;
  key: NodeKey;
  load: Loader<never>;
}

const registry = new Map<string, Registration>();
/** The type of every object node() loaded, for the Node interface's resolveType. */
const typeOfNode = new WeakMap<object, NodeType>();

/**
 * Makes `type` reachable through node(id:) and nodes(ids:): `load` gets the key decoded from the
 * global id and returns the caller's object or null (another seller's, deleted, never existed).
 * The GraphQL object type must also declare `implements: Node` and emit its id as a GlobalIdField.
 */
export function registerNode(type: NodeType, key: 'serial', load: Loader<number>): void;
export function registerNode(type: NodeType, key: 'uuid' | 'text', load: Loader<string>): void;
export function registerNode(type: NodeType, key: NodeKey, load: Loader<number> | Loader<string>): void {
  registry.set(type, { type, key, load: load as Loader<never> });
}

function keyOf(registration: Registration, id: string, field: string): number | string {
  if (registration.key === 'serial') return serialKeyOfInput(registration.type, id, field);
  if (registration.key === 'uuid') return uuidKeyOfInput(registration.type, id, field);
  const parsed = fromGlobalId(id);
  if (!parsed || parsed.key.length > 100) throw badUserInput(`${field} must be a ${registration.type} id`, { argument: field.split('.')[0], field });
  return parsed.key;
}

/** The registration and key an id names, or BAD_USER_INPUT naming the field when it names no registered type. */
function decode(id: string, field: string): { registration: Registration; key: number | string } {
  const registration = registry.get(fromGlobalId(id)?.type ?? '');
  if (!registration) throw badUserInput(`${field} must be a global id such as "${toGlobalId('Product', 1)}"`, { argument: field.split('.')[0], field });
  return { registration, key: keyOf(registration, id, field) };
}

async function load(ctx: Context, { registration, key }: { registration: Registration; key: number | string }): Promise<object | null> {
  const node = await (registration.load as Loader<number | string>)(ctx, key);
  if (node) typeOfNode.set(node, registration.type);
  return node;
}

export function loadNode(ctx: Context, id: string): Promise<object | null> {
  return load(ctx, decode(id, 'id'));
}

/** Every id checked first (a bad one refuses the whole request), then loaded together (the loaders batch). */
export function loadNodes(ctx: Context, ids: readonly string[]): Promise<(object | null)[]> {
  const decoded = ids.map((id, index) => decode(id, `ids.${index}`));
  return Promise.all(decoded.map((d) => load(ctx, d)));
}

export function nodeTypeOf(node: object): NodeType | undefined {
  return typeOfNode.get(node);
}

export function registeredNodeTypes(): NodeType[] {
  return [...registry.keys()] as NodeType[];
}
