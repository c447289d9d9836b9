/**
 * npm run trace -- <scenario> [--set key=value ...] [--seed N] [--json]
 * npm run trace -- --list
 */
import { computeTrace, formatTraceText, getScenario, InputError, parseSeed, SCENARIOS } from "../src/sim/index";

const USAGE = "usage: npm run trace -- <scenario> [--set key=value ...] [--seed N] [--json]\n       npm run trace -- --list";

function list(): string {
  return SCENARIOS.map((s) =>
    [
      `${s.id} — ${s.title}`,
      ...s.params.map((p) => `  ${p.key}: ${p.values.map((v) => (v.value === p.default ? `${v.value} (default)` : v.value)).join(", ")}`),
    ].join("\n"),
  ).join("\n\n");
}

function main(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (argv.includes("--list")) {
    console.log(list());
    return 0;
  }
  let scenarioId: string | undefined;
  let json = false;
  let seed = 0;
  const params: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--set" || arg === "--seed") {
      const value = argv[++i];
      if (value === undefined) throw new InputError(arg, `${arg} needs a value`);
      if (arg === "--seed") seed = parseSeed(value);
      else {
        const eq = value.indexOf("=");
        if (eq <= 0) throw new InputError(value, "write parameters as key=value, e.g. --set city=tokyo");
        params[value.slice(0, eq)] = value.slice(eq + 1);
      }
    } else if (arg.startsWith("--")) throw new InputError(arg, `unknown option\n${USAGE}`);
    else if (scenarioId === undefined) scenarioId = arg;
    else throw new InputError(arg, "only one scenario at a time");
  }
  if (!scenarioId) throw new InputError("", `name a scenario\n${USAGE}\n\n${list()}`);
  getScenario(scenarioId);
  const trace = computeTrace(scenarioId, params, seed);
  console.log(json ? JSON.stringify(trace, null, 2) : formatTraceText(trace));
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof InputError) {
    console.error(`error: ${error.message}`);
    process.exitCode = 2;
  } else throw error;
}
