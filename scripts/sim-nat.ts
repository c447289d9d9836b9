/** Placeholder: a helper is writing `npm run sim -- nat` (issue 10). */
import { InputError } from "../src/sim/net/errors";

export function natCommand(_argv: readonly string[]): void {
  throw new InputError("nat", "not built yet");
}
