/**
 * `npm run sim -- route FILE.yaml… --url URL [--method M] [--header NAME:VALUE]… [--json]`: which backend an
 * Ingress or a Gateway's HTTPRoutes send one request to, and the rule that decided.
 */
import { readFileSync } from "node:fs";
import { ROUTE_MODELS, type RouteModel } from "../src/sim/kube/l7/decision";
import { routeManifests } from "../src/sim/kube/l7/load";
import { parseRouteRequest } from "../src/sim/kube/l7/request";
import { InputError } from "../src/sim/net/errors";
import { one, parseArgs, print } from "./sim-args";

function readFiles(paths: readonly string[]): { name: string; text: string }[] {
  if (paths.length === 0) throw new InputError("", "name at least one YAML file with an Ingress, or a Gateway and its HTTPRoutes");
  return paths.map((path) => {
    try {
      return { name: path, text: readFileSync(path, "utf8") };
    } catch (error) {
      throw new InputError(path, (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `cannot read it (${(error as Error).message})`);
    }
  });
}

export function routeCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--url", "--method", "--header", "--seed", "--model", "--via", "--gateway"], ["--header"]);
  const url = one(args, "--url");
  if (url === undefined) throw new InputError("--url", "give the request's URL, e.g. --url http://shop.example.com/cart");
  const request = parseRouteRequest(url, { method: one(args, "--method"), headers: args.flags.get("--header") ?? [] });
  const seedText = one(args, "--seed");
  if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new InputError(`--seed ${seedText}`, "the seed is a whole number");
  const modelText = one(args, "--model");
  if (modelText !== undefined && !(modelText in ROUTE_MODELS)) throw new InputError(`--model ${modelText}`, `the wrong models are ${Object.keys(ROUTE_MODELS).join(", ")}`);
  const via = one(args, "--via");
  if (via !== undefined && via !== "ingress" && via !== "gateway") throw new InputError(`--via ${via}`, "--via is ingress or gateway");
  const decision = routeManifests(readFiles(args.positional), request, {
    seed: seedText === undefined ? 0 : Number(seedText),
    model: (modelText as RouteModel | undefined) ?? null,
    via,
    gateway: one(args, "--gateway"),
  });
  for (const w of decision.warnings) console.error(`warning: ${w}`);
  const json = {
    backend: decision.backend,
    status: decision.status,
    rule: decision.rule,
    via: decision.via,
    backendNamespace: decision.backendNamespace,
    summary: decision.summary,
    candidates: decision.candidates,
    steps: decision.steps,
    notes: decision.notes,
    request: { method: request.method, url: request.url, host: request.host, port: request.port, path: request.path },
  };
  print(args, json, () => {
    const lines = [
      decision.status === null ? "refused: no listener" : decision.backend === null ? `${decision.status}` : `${decision.status} → ${decision.backendNamespace}/${decision.backend.service}:${decision.backend.port}`,
      `rule: ${decision.rule === null ? "(none)" : `${decision.rule.kind} ${decision.rule.namespace}/${decision.rule.name} ${decision.rule.ruleIndex < 0 ? "" : `rules[${decision.rule.ruleIndex}] `}${decision.rule.text}`}`,
      decision.summary,
      "",
      "how it was decided:",
      ...decision.steps.map((s) => `  ${s.taken ? "✓" : "·"} [${s.kind}] ${s.label} — ${s.detail}`),
    ];
    if (decision.notes.length > 0) lines.push("", ...decision.notes.map((n) => `note: ${n}`));
    return lines.join("\n");
  });
}
