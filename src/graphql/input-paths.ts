import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, Kind, visit, type ASTNode, type ArgumentNode, type DocumentNode, type GraphQLFormattedError, type ValueNode } from 'graphql';

/** Where a value sits in an operation: the argument of which field, and the path inside it (`input.price`). */
export interface InputPlace {
  argument: string;
  field: string;
  of: string;
}

// Filled while Apollo validates a document, read when its errors are formatted: graphql-js
// reports a bad literal on the value node and a bad variable on its definition, without the path.
const places = new WeakMap<ASTNode, InputPlace>();

/** The path inside a variable that graphql-js names in its message (` at "input.price"`), without the variable. */
const VARIABLE_PATH = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" got invalid value .*? at "[_A-Za-z][_0-9A-Za-z]*((?:\.[_0-9A-Za-z]+)*)"; /s;

function recordValue(value: ValueNode, place: InputPlace, variables: Map<string, InputPlace[]>): void {
  places.set(value, place);
  if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) {
      const inner = { ...place, field: `${place.field}.${field.name.value}` };
      places.set(field, inner);
      recordValue(field.value, inner, variables);
    }
  } else if (value.kind === Kind.LIST) {
    value.values.forEach((item, index) => recordValue(item, { ...place, field: `${place.field}.${index}` }, variables));
  } else if (value.kind === Kind.VARIABLE) {
    const uses = variables.get(value.name.value) ?? [];
    variables.set(value.name.value, [...uses, place]);
  }
}

export function recordInputPlaces(document: DocumentNode): void {
  const variables = new Map<string, InputPlace[]>();
  const recordArguments = (of: string, args: readonly ArgumentNode[] | undefined) => {
    for (const arg of args ?? []) recordValue(arg.value, { argument: arg.name.value, field: arg.name.value, of }, variables);
  };
  visit(document, {
    Field: (node) => recordArguments(node.name.value, node.arguments),
    Directive: (node) => recordArguments(`@${node.name.value}`, node.arguments),
  });
  visit(document, {
    VariableDefinition: (node) => {
      const uses = variables.get(node.variable.name.value);
      // a variable given to two arguments names neither
      if (uses?.length === 1) places.set(node, uses[0]!);
    },
  });
}

/**
 * Records the places of a request's input values before it is validated, and refuses variable
 * values that do not fit before any other plugin looks at them (the cost of an operation is
 * computed from its variables, and would refuse them without the place).
 */
export const inputPlaces: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async validationDidStart({ document }) {
        recordInputPlaces(document);
      },
      async didResolveOperation({ schema, operation, request }) {
        if (!operation) return;
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
        const error = coerced.errors?.[0];
        if (!error) return;
        const place = error.nodes?.length === 1 ? places.get(error.nodes[0]!) : undefined;
        const extensions = place ? { argument: place.argument, field: place.field + (VARIABLE_PATH.exec(error.message)?.[1] ?? '') } : {};
        throw new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT', ...extensions, http: { status: 400 } } });
      },
    };
  },
};

/** A bad literal (a validation error on a value) as BAD_USER_INPUT that names the argument and the field inside it; undefined for any other error. */
export function asBadInput(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  if (!(error instanceof GraphQLError) || error.nodes?.length !== 1 || formatted.extensions?.['code'] !== 'GRAPHQL_VALIDATION_FAILED') return undefined;
  const node = error.nodes[0]!;
  const place = node.kind === Kind.VARIABLE_DEFINITION ? undefined : places.get(node);
  if (!place) return undefined;
  return {
    message: `Argument "${place.argument}" of "${place.of}" has an invalid value at "${place.field}": ${error.message}`,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'BAD_USER_INPUT', argument: place.argument, field: place.field },
  };
}
