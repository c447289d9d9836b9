/** Placeholder: a helper is writing `npm run sim -- firewall` (issue 10). */
import { InputError } from "../src/sim/net/errors";

export function firewallCommand(_argv: readonly string[]): void {
  throw new InputError("firewall", "not built yet");
}
