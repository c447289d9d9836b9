/**
 * `npm run sim -- bgp …`: BGP on the simulated internet (src/sim/bgp/), or on a topology file of the
 * user's design (format in src/sim/bgp/topology-file.ts). Prints each router's chosen route and the
 * rule that decided it, the anycast outcome per user city, or — with --from — one router's decision
 * process step by step and its FIB lookup.
 */
import { readFileSync } from "node:fs";
import { anycastOutcomes, explainDecision, siteName } from "../src/sim/bgp/anycast";
import { RULE_LABELS } from "../src/sim/bgp/decision";
import { DEFAULT_ANNOUNCEMENTS, DEFAULT_TOPOLOGY, USER_ROUTERS } from "../src/sim/bgp/default-topology";
import { BgpNetwork } from "../src/sim/bgp/engine";
import { canonicalPrefix, parseAddress } from "../src/sim/bgp/prefix";
import { parseBgpFile } from "../src/sim/bgp/topology-file";
import type { Announcement, Decision, RovMode, Route, Topology } from "../src/sim/bgp/types";
import { SITES, type SiteId } from "../src/sim/geo";
import { InputError } from "../src/sim/net/errors";
import { one, parseArgs, print } from "./sim-args";

/** `--help` lines for this command (the dispatcher's HELP repeats them). */
export const BGP_HELP = `  bgp [--topology FILE.yaml|.json] [--announce PREFIX@AS[:CITY,…]]… [--withdraw PREFIX@AS[:CITY,…]]…
      [--rov AS=off|drop-invalid|depref-invalid]… [--prefix PREFIX] [--from ROUTER|CITY [--address IP]] [--json]
      BGP on the course's simulated internet (Cloudflare AS13335 and Google AS15169 anycast from nine
      sites, four tier-1s, access ISPs, a Paris IXP route server), or on a topology file (ases, sessions,
      policies, announcements; format in src/sim/bgp/topology-file.ts). Prints every router's chosen
      route and the rule that decided it, and where each user city's packets land for an anycast prefix.
      --withdraw re-converges after the first run (failover). --from 3356@madrid (or a user city such as
      madrid) prints that router's decision process step by step; --address adds its FIB lookup and the
      path the packet takes. Routers are ASN@city.`;

function spec(flag: string, text: string): { prefix: string; asn: number; cities: SiteId[] | undefined } {
  const m = /^([^@]+)@(?:AS)?(\d+)(?::(.+))?$/i.exec(text.trim());
  if (!m) throw new InputError(`${flag} ${text}`, "write PREFIX@AS or PREFIX@AS:CITY,CITY (e.g. 104.18.32.0/24@64500:madrid)");
  let prefix: string;
  try {
    prefix = canonicalPrefix(m[1]!);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${flag} ${text}`, error.reason);
    throw error;
  }
  const cities = m[3]?.split(",").map((c) => c.trim());
  for (const c of cities ?? []) if (!(c in SITES)) throw new InputError(`${flag} ${text}`, `unknown city "${c}"; the model knows ${Object.keys(SITES).join(", ")}`);
  return { prefix, asn: Number(m[2]), cities: cities as SiteId[] | undefined };
}

function rovFlags(values: readonly string[]): Record<number, RovMode> {
  const out: Record<number, RovMode> = {};
  for (const v of values) {
    const m = /^(?:AS)?(\d+)=(off|drop-invalid|depref-invalid)$/i.exec(v.trim());
    if (!m) throw new InputError(`--rov ${v}`, "write AS=off, AS=drop-invalid or AS=depref-invalid (e.g. 3356=drop-invalid)");
    out[Number(m[1])] = m[2]!.toLowerCase() as RovMode;
  }
  return out;
}

const pathText = (r: Route) => (r.asPath.length ? r.asPath.join(" ") : "(originated here)");

function routeJson(r: Route | null) {
  return r && {
    asPath: r.asPath, nextHop: r.nextHop, localPref: r.localPref, med: r.med, origin: r.origin, learnedAs: r.learnedAs,
    session: r.from.kind, neighbor: r.from.router, viaRouteServer: r.from.viaRouteServer, igpCost: r.igpCost, rov: r.rov, site: r.originRouter,
  };
}

function decisionText(d: Decision): string[] {
  const lines = [`${d.router}: ${d.candidates.length} route${d.candidates.length === 1 ? "" : "s"} to ${d.prefix}`];
  d.candidates.forEach((c, i) => lines.push(
    `  ${i === d.bestIndex ? "*>" : "* "} [${i}] path ${pathText(c).padEnd(22)} from ${c.from.router.padEnd(18)} ${c.from.kind.padEnd(5)} locprf ${String(c.localPref).padStart(3)}  med ${String(c.med ?? "-").padStart(3)}  ${c.origin}  igp ${c.igpCost} km  next hop ${c.nextHop}${c.rov ? `  rpki ${c.rov}` : ""}`));
  for (const r of d.rejected) lines.push(`  x  rejected from ${r.route.from.router}: ${r.detail}`);
  for (const s of d.steps) {
    lines.push(`  ${s.label}: ${s.values.map((v) => `[${v.candidate}] ${v.value}`).join(", ")}` +
      (s.eliminated.length ? ` → out: ${s.eliminated.map((i) => `[${i}]`).join(" ")}` : " → tie") + (s.decisive ? "  (decides)" : ""));
  }
  lines.push(`  decided by: ${d.decidedBy ? RULE_LABELS[d.decidedBy] : "no route"}. ${explainDecision(d)}`);
  return lines;
}

export function bgpCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--topology", "--announce", "--withdraw", "--rov", "--prefix", "--from", "--address"], ["--announce", "--withdraw", "--rov"]);
  if (args.positional.length) throw new InputError(args.positional[0]!, "bgp takes only flags; see npm run sim -- --help");
  const file = one(args, "--topology");
  let topology: Topology = DEFAULT_TOPOLOGY;
  let announcements: Announcement[] = [...DEFAULT_ANNOUNCEMENTS];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new InputError(file, "cannot read the topology file");
    }
    ({ topology, announcements } = parseBgpFile(text, file));
  }
  for (const a of args.flags.get("--announce") ?? []) {
    const s = spec("--announce", a);
    announcements.push({ prefix: s.prefix, asn: s.asn, ...(s.cities ? { cities: s.cities } : {}) });
  }
  const net = new BgpNetwork(topology, { rov: rovFlags(args.flags.get("--rov") ?? []) });
  for (const a of announcements) net.announce(a);
  const first = net.run();
  const withdrawals = (args.flags.get("--withdraw") ?? []).map((w) => spec("--withdraw", w));
  let second: { updates: number } | null = null;
  if (withdrawals.length) {
    for (const w of withdrawals) net.withdraw(w.prefix, w.asn, w.cities);
    second = net.run();
  }

  const prefixFlag = one(args, "--prefix");
  const prefixes = prefixFlag !== undefined ? [canonicalPrefix(prefixFlag)] : net.prefixes();
  const fromText = one(args, "--from");
  const address = one(args, "--address");
  if (address !== undefined) {
    try {
      parseAddress(address);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`--address ${address}`, error.reason);
      throw error;
    }
    if (fromText === undefined) throw new InputError("--address", "--address needs --from ROUTER (the router the packet starts at)");
  }

  if (fromText !== undefined) {
    const router = fromText.includes("@") ? fromText : file === undefined ? USER_ROUTERS[fromText as SiteId] : undefined;
    if (!router) throw new InputError(`--from ${fromText}`, `name a router as ASN@city (e.g. 3356@madrid)${file === undefined ? ` or a user city (${Object.keys(USER_ROUTERS).join(", ")})` : ""}`);
    net.router(router);
    const decisions = prefixes.map((p) => net.decision(router, p));
    const fib = address !== undefined ? net.fibLookup(router, address) : null;
    const path = address !== undefined ? net.forward(router, address) : null;
    print(args, { router, decisions, fib, path }, () => [
      ...decisions.flatMap((d) => [...decisionText(d), ""]),
      ...(fib ? [
        `FIB lookup for ${address} at ${router} (longest prefix first):`,
        ...fib.checks.map((c) => `  ${c.matches ? "match   " : "no match"} ${c.prefix.padEnd(20)} /${c.length}  → ${c.nextHop}`),
        `  → ${fib.match ? `longest match ${fib.match}` : "no route: dropped"}`,
        `path: ${path!.hops.map((h) => h.router).join(" → ")} (${path!.outcome}${path!.deliveredAt ? ` at ${path!.deliveredAt}` : ""})`,
      ] : []),
    ].join("\n"));
    return;
  }

  const report = prefixes.map((prefix) => {
    const origins = net.originsOf(prefix);
    const routers = net.routers.filter((r) => !r.isRouteServer).map((r) => {
      const d = net.decision(r.name, prefix);
      return { router: r.name, asn: r.asn, name: topology.ases.find((a) => a.asn === r.asn)!.name, best: routeJson(d.best), decidedBy: d.decidedBy, why: d.best ? explainDecision(d) : null };
    });
    const sample = prefix.includes(":") ? prefix.replace(/::?\/\d+$/, "::1") : prefix.replace(/\.0\/\d+$/, ".1").replace(/\/\d+$/, "");
    const anycast = file === undefined && new Set(origins).size > 1 ? anycastOutcomes(net, prefix, sample, USER_ROUTERS) : [];
    return { prefix, origins, routers, anycast: anycast.map((o) => ({ city: o.city, router: o.router, reached: o.reached, nearest: o.nearest, agrees: o.agrees, rule: o.rule, decidingRouter: o.decidingRouter, why: o.why })) };
  });
  print(args, { updates: first.updates, withdrawalUpdates: second?.updates ?? null, prefixes: report }, () => [
    `converged after ${first.updates} updates${second ? `; withdrawal re-converged after ${second.updates} more` : ""}`,
    ...report.flatMap((p) => [
      "",
      `${p.prefix}  originated at ${p.origins.join(", ") || "(nowhere)"}`,
      `  ${"router".padEnd(20)} ${"AS path".padEnd(24)} ${"next hop".padEnd(20)} locprf  decided by`,
      ...p.routers.map((r) => `  ${r.router.padEnd(20)} ${(r.best ? r.best.asPath.join(" ") || "(local)" : "(no route)").padEnd(24)} ${(r.best?.nextHop ?? "-").padEnd(20)} ${String(r.best?.localPref ?? "-").padStart(6)}  ${r.decidedBy ? RULE_LABELS[r.decidedBy] : "-"}`),
      ...(p.anycast.length ? [
        `  anycast: where each user city lands (BGP) and the nearest site (geography)`,
        ...p.anycast.map((o) => `  ${siteName(o.city).padEnd(14)} → ${(o.reached ? siteName(o.reached) : "no route").padEnd(12)} nearest ${o.nearest ? siteName(o.nearest) : "-"}${o.agrees ? "" : "  ≠ DIFFERENT"}  (${o.rule ? RULE_LABELS[o.rule] : "-"} at ${o.decidingRouter ?? "-"})`),
      ] : []),
    ]),
  ].join("\n"));
}
