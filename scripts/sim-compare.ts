/**
 * `npm run sim -- compare …`: the flagship request with and without Cloudflare, side by side
 * (`src/sim/edge/compare.ts`). Each row prints what both traces say and the step it was read from.
 */
import { InputError } from "../src/sim/net/errors";
import { parseSeed } from "../src/sim/scenarios/index";
import { compareJourneys, type CompareCell } from "../src/sim/edge/compare";
import { one, parseArgs, print } from "./sim-args";

export function compareCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--set", "--seed"], ["--set"]);
  if (args.positional.length) throw new InputError(args.positional[0]!, "compare takes no positional arguments; give settings as --set key=value");
  const params: Record<string, string> = {};
  for (const pair of args.flags.get("--set") ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new InputError(pair, "write settings as key=value, e.g. --set city=tokyo");
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const seedText = one(args, "--seed");
  const comparison = compareJourneys(params, seedText === undefined ? 0 : parseSeed(seedText));
  const where = (c: CompareCell) => `[${c.trace}${c.steps.length ? `: ${c.steps.join(", ")}` : ""}]`;
  print(args, comparison, () =>
    [
      `cloudflare-gke with vs without Cloudflare  ${Object.entries(comparison.params).map(([k, v]) => `${k}=${v}`).join(" ")}  seed=${comparison.seed}`,
      "",
      ...comparison.rows.flatMap((r) => [
        `${r.differs ? "≠" : "="} ${r.topic}`,
        `    with:    ${r.with.text} ${where(r.with)}`,
        `    without: ${r.without.text} ${where(r.without)}`,
        `    ${r.note}`,
      ]),
    ].join("\n"),
  );
}
