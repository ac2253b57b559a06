/** One problem with a form, for the error summary and the field it names. */
export interface FieldError {
  /** The id of the field to link to and focus (the first input of a group); '' for a problem with no field. */
  field: string;
  text: string;
}

/** The error for a field, if any (for marking it: class, message, aria-describedby). */
export function errorFor(errors: readonly FieldError[], field: string): string | null {
  return errors.find((e) => e.field === field)?.text ?? null;
}

/** `aria-describedby` of a field: its hint and, when it has one, its error message. */
export function describedBy(field: string, hint: string | null, error: string | null): string | undefined {
  const ids = [hint, error ? `${field}-error` : null].filter((x): x is string => Boolean(x));
  return ids.length ? ids.join(' ') : undefined;
}
