import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { COST, isConnectionType } from './cost.js';

/** Field values walked at most; past it the requested cost stands. */
const MAX_VISITS = 200_000;

class Unmeasurable extends Error {}

/** A field of a selection set, with everything about it that does not depend on the result. */
interface FieldStep {
  key: string;
  /** Object-type conditions of the fragments it sits in: a value with another `__typename` does not take it. */
  conditions: string[] | undefined;
  /** Costs nothing whatever it holds: `__typename`, a field unknown to its type, a scalar without a complexity. */
  costless: boolean;
  /** Declares a complexity function: the result cannot be measured. */
  unmeasurable: boolean;
  own: number;
  list: boolean;
  /** A list of lists: its items are flattened. */
  nested: boolean;
  /** A list of a connection (edges, nodes): each item costs `perItemOwn` plus its selection. */
  inConnection: boolean;
  perItemOwn: number;
  /** A list with `first` or `last`: each item costs `own` plus its selection. */
  paged: boolean;
  node: FieldNode;
  /** The composite type of its selection, if it has one. */
  childType: GraphQLCompositeType | undefined;
  children: SetPlan | undefined;
}

/** The fields of a selection set on a type, fragments expanded, in document order. */
interface SetPlan {
  /** Fields without fragment conditions: each is one visit, whatever the value holds. */
  fixedVisits: number;
  steps: FieldStep[];
}

interface OperationPlan {
  schema: GraphQLSchema;
  root: SetPlan | undefined;
  /** Plans a selection set of the operation's document: children are planned when a result first reaches them. */
  planSet: (set: SelectionSetNode, type: GraphQLCompositeType) => SetPlan;
}

const plans = new WeakMap<OperationDefinitionNode, OperationPlan>();
let planned = 0;

/** How many operations were planned for the actual-cost walk: a second identical request must not add one. */
export function actualCostPlans(): number {
  return planned;
}

function planner(schema: GraphQLSchema, document: DocumentNode) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const stepOf = (node: FieldNode, parent: GraphQLCompositeType, conditions: string[] | undefined, base: number | undefined): FieldStep => {
    const field: GraphQLField<unknown, unknown> | undefined =
      node.name.value !== '__typename' && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[node.name.value] : undefined;
    const step: FieldStep = {
      key: node.alias?.value ?? node.name.value,
      conditions,
      costless: true,
      unmeasurable: false,
      own: 0,
      list: false,
      nested: false,
      inConnection: false,
      perItemOwn: 0,
      paged: false,
      node,
      childType: undefined,
      children: undefined,
    };
    if (!field) return step;
    const named = getNamedType(field.type);
    const declared = field.extensions?.['complexity'];
    const composite = isCompositeType(named);
    const listType = getNullableType(field.type);
    step.unmeasurable = typeof declared === 'function';
    step.own = base ?? (typeof declared === 'number' ? declared : isConnectionType(named) ? COST.connection : composite ? COST.object : COST.scalar);
    step.list = isListType(listType);
    step.nested = isListType(listType) && isListType(getNullableType(listType.ofType));
    step.inConnection = isConnectionType(parent);
    step.perItemOwn = field.name === 'edges' ? 0 : composite ? COST.object : COST.scalar;
    step.paged = node.arguments?.some((a) => a.name.value === 'first' || a.name.value === 'last') ?? false;
    step.childType = node.selectionSet && composite ? named : undefined;
    step.costless = !step.unmeasurable && !step.childType && step.own === 0 && (!step.list || !step.inConnection || step.perItemOwn === 0);
    return step;
  };

  const collect = (set: SelectionSetNode, type: GraphQLCompositeType, conditions: string[] | undefined, active: Set<string>, base: number | undefined, into: FieldStep[]): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        into.push(stepOf(selection, type, conditions, base));
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && active.has(selection.name.value))) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      if (!condition || !isCompositeType(condition)) continue;
      const inner = isObjectType(condition) ? [...(conditions ?? []), condition.name] : conditions;
      if (selection.kind === Kind.FRAGMENT_SPREAD) active.add(selection.name.value);
      collect(fragment.selectionSet, condition, inner, active, base, into);
      if (selection.kind === Kind.FRAGMENT_SPREAD) active.delete(selection.name.value);
    }
  };

  return (set: SelectionSetNode, type: GraphQLCompositeType, base?: number): SetPlan => {
    const steps: FieldStep[] = [];
    collect(set, type, undefined, new Set(), base, steps);
    const fixedVisits = steps.filter((s) => !s.conditions).length;
    return { fixedVisits, steps: steps.filter((s) => s.conditions || !s.costless) };
  };
}

const planOf = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationPlan => {
  const known = plans.get(operation);
  if (known?.schema === schema) return known;
  planned++;
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const rootBase = operation.operation === 'mutation' ? COST.mutation : operation.operation === 'subscription' ? COST.subscription : undefined;
  const planSet = planner(schema, document);
  const made: OperationPlan = { schema, root: root ? planSet(operation.selectionSet, root, rootBase) : undefined, planSet };
  plans.set(operation, made);
  return made;
};

/**
 * The cost model of cost.ts applied to what an operation returned instead of what it asked
 * for: a connection page counts the items it holds, not `first`. Never more than `requested`;
 * returns `requested` when the result cannot be measured (a field with a complexity function).
 * What the walk needs from the document (fragments expanded, field types, the fields that
 * cannot cost anything) is worked out once per parsed operation, so a request walks only
 * the values that can cost points.
 */
export function actualOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Record<string, unknown> | null | undefined,
  requested: number,
): number {
  if (!data) return 0;
  const plan = planOf(schema, document, operation);
  if (!plan.root) return requested;
  let visits = 0;

  const setCost = (set: SetPlan, value: Record<string, unknown>, base?: number): number => {
    visits += set.fixedVisits;
    if (visits > MAX_VISITS) throw new Unmeasurable();
    let total = 0;
    for (const step of set.steps) {
      if (step.conditions) {
        const typename = value['__typename'];
        if (typeof typename === 'string' && step.conditions.some((c) => c !== typename)) continue;
        if (++visits > MAX_VISITS) throw new Unmeasurable();
        if (step.costless) continue;
      }
      if (!(step.key in value)) continue;
      total += fieldCost(step, value[step.key], base);
    }
    return total;
  };

  const childrenCost = (step: FieldStep, value: unknown): number => {
    if (!step.childType || value === null || typeof value !== 'object') return 0;
    step.children ??= plan.planSet(step.node.selectionSet!, step.childType);
    return setCost(step.children, value as Record<string, unknown>);
  };

  const fieldCost = (step: FieldStep, value: unknown, base?: number): number => {
    if (step.unmeasurable) throw new Unmeasurable();
    const own = base ?? step.own;
    if (step.list && Array.isArray(value)) {
      const items = (step.nested ? value.flat(Infinity) : value) as unknown[];
      let total = 0;
      if (step.inConnection) {
        // edges / nodes: each item of the page, an edge itself free
        for (const item of items) total += step.perItemOwn + childrenCost(step, item);
        return total;
      }
      if (step.paged) {
        for (const item of items) total += own + childrenCost(step, item);
        return total;
      }
      for (const item of items) total = Math.max(total, childrenCost(step, item));
      return own + total;
    }
    return own + childrenCost(step, value);
  };

  try {
    return Math.min(requested, setCost(plan.root, data));
  } catch (error) {
    if (error instanceof Unmeasurable) return requested;
    throw error;
  }
}
