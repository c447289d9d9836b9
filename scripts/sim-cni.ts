/** Placeholder: a helper is writing `npm run sim -- cni` (issue 10). */
import { InputError } from "../src/sim/net/errors";

export function cniCommand(_argv: readonly string[]): void {
  throw new InputError("cni", "not built yet");
}
