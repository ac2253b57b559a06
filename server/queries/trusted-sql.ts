/**
 * SQL text that came from our own allow-lists, never from a request. The brand makes it a type
 * error to pass a plain string into a query slot.
 */
declare const brand: unique symbol;
export type TrustedSql = string & { readonly [brand]: true };

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Only for text written in our source code (allow-list entries, fixed clauses). */
export function trustedSql(text: string): TrustedSql {
  return text as TrustedSql;
}

/** A bare identifier from an allow-list; rejects anything that is not a plain lower-case name. */
export function trustedIdentifier(name: string): TrustedSql {
  if (!IDENT.test(name)) throw new Error(`not a safe identifier: ${JSON.stringify(name)}`);
  return name as TrustedSql;
}
