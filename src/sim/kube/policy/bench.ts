/** For `npm run bench`: the matrix lab's work per change — every preset's full Pods × Pods matrix. */
import { policyMatrix } from "./matrix";
import { presetWorlds } from "./preset-worlds";
import { policyPresets } from "./presets";

/** Computes all preset matrices once; returns how many cells were decided (each both directions). */
export function benchPolicyMatrix(): number {
  let cells = 0;
  for (const preset of policyPresets) {
    const world = presetWorlds[preset.id]!;
    cells += policyMatrix(world, world.pods, preset.port, preset.protocol).flat().length;
  }
  return cells;
}
