import { InputError } from "../src/sim/net/errors";

/** `npm run sim -- rov …` (being built for issue 8). */
export function rovCommand(argv: readonly string[]): void {
  throw new InputError("rov", `not available yet (${argv.length} arguments)`);
}
