/**
 * `npm run sim -- maglev …`: Maglev's lookup table (NSDI 2016, §3.4) and the backend a flow lands on.
 */
import { InputError } from "../src/sim/net/errors";
import { maglevLookup, maglevTable } from "../src/sim/edge/maglev";
import { one, parseArgs, print } from "./sim-args";

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

export function maglevCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--backends", "--size", "--flow"]);
  const backends = (one(args, "--backends") ?? "").split(",").map((b) => b.trim()).filter(Boolean);
  if (backends.length === 0) throw new InputError("--backends", "name the backends, e.g. --backends gfe-1,gfe-2,gfe-3");
  if (new Set(backends).size !== backends.length) throw new InputError("--backends", "each backend may be named once");
  const sizeText = one(args, "--size");
  const size = sizeText === undefined ? undefined : Number(sizeText);
  if (size !== undefined && (!Number.isInteger(size) || size < backends.length || !isPrime(size))) {
    // Maglev's permutation needs a prime table size, so every (offset, skip) pair visits every slot.
    throw new InputError(`--size ${sizeText}`, "the table size is a prime at least the number of backends (65537 by default)");
  }
  const flow = one(args, "--flow");
  if (!flow) throw new InputError("--flow", 'give a flow key, e.g. --flow "tcp 198.51.100.23:51514 → 34.98.10.5:443"');
  const table = maglevTable(backends, size);
  const pick = maglevLookup(table, flow);
  const result = { backends, tableSize: table.tableSize, slotCounts: table.slotCounts, flow, slot: pick.slot, backend: pick.backend };
  print(args, result, () =>
    [
      `Maglev table of ${table.tableSize} slots over ${backends.length} backends:`,
      ...backends.map((b, i) => `  ${b.padEnd(16)} ${table.slotCounts[i]} slots`),
      `flow ${flow} → slot ${pick.slot} → ${pick.backend}`,
    ].join("\n"),
  );
}

