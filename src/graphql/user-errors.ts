import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum UserErrorCode {
  INVALID = 'INVALID',
  NOT_FOUND = 'NOT_FOUND',
  TAKEN = 'TAKEN',
  INSUFFICIENT_STOCK = 'INSUFFICIENT_STOCK',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  EXPIRED = 'EXPIRED',
  PAYMENT_DECLINED = 'PAYMENT_DECLINED',
  PAYMENT_FAILED = 'PAYMENT_FAILED',
  AMOUNT_TOO_LARGE = 'AMOUNT_TOO_LARGE',
}
registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation did not apply.',
  valuesConfig: {
    PAYMENT_DECLINED: { description: 'The card was declined; the payment is recorded as FAILED.' },
    PAYMENT_FAILED: { description: 'The payment provider failed or could not be reached; the payment or refund says how far it got.' },
    AMOUNT_TOO_LARGE: { description: 'More than is left to pay on the order, or to refund of the payment.' },
  },
});

@ObjectType({ description: 'An expected business outcome that stopped a mutation; nothing was changed.' })
export class UserError {
  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault, e.g. ["input", "price"].' })
  field?: string[] | null;

  @Field(() => String)
  message!: string;

  @Field(() => UserErrorCode)
  code!: UserErrorCode;
}

export function userError(code: UserErrorCode, message: string, field?: string[]): UserError {
  return Object.assign(new UserError(), { code, message, field: field ?? null });
}

/** Thrown inside a transaction to roll it back and answer with userErrors instead of data. */
export class UserErrorsThrown extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => e.message).join('; '));
  }
}

/** Runs a write; UserErrorsThrown from it (after its rollback) become the answer's userErrors. */
export async function withUserErrors<T>(write: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; userErrors: UserError[] }> {
  try {
    return { ok: true, value: await write() };
  } catch (error) {
    if (error instanceof UserErrorsThrown) return { ok: false, userErrors: error.userErrors };
    throw error;
  }
}
