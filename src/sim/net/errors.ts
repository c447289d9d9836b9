/** Why a piece of user input was rejected: the text as typed and a sentence a learner can act on. */
export class InputError extends Error {
  readonly input: string;
  readonly reason: string;
  constructor(input: string, reason: string) {
    super(`${input === "" ? "(empty)" : input}: ${reason}`);
    this.name = "InputError";
    this.input = input;
    this.reason = reason;
  }
}

/** A parse that either produced a value or says what was wrong, for UI code that must not throw. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: InputError };

/** Runs a throwing parser and folds its `InputError` into a `Parsed` result. */
export function attempt<T>(parse: () => T): Parsed<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, error };
    throw error;
  }
}
