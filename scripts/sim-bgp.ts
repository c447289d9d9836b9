import { InputError } from "../src/sim/net/errors";

/** `npm run sim -- bgp …` (being built for issue 8). */
export function bgpCommand(argv: readonly string[]): void {
  throw new InputError("bgp", `not available yet (${argv.length} arguments)`);
}
