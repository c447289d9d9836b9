/**
 * What the rpki questions share: the lesson, the lab link (the BGP/RPKI lab reads `rpki.kind`, `.roa`,
 * `.attacker`, `.rov` and `.step` — a router name — from the URL), and ROV deployments by name.
 */
import { rovCapableAses, runHijack, type AttackerSite, type HijackInput, type HijackKind, type RoaPolicy } from "../../../sim/rpki/hijacks";
import type { RovState } from "../../../sim/rpki/rov";
import type { SiteId } from "../../../sim/geo";
import type { RovMode } from "../../../sim/bgp/types";
import type { LabLink } from "../../engine/types";

export const LESSON = "hijacking-and-rpki";
export const LESSON_PAGE = "/lessons/hijacking-and-rpki/";
export const LAB_ID = "rpki";

export const TIER1 = [3356, 1299, 174, 2914] as const;

/** Named ROV deployments; `upstream` is the attacker's own transit provider. */
export const DEPLOYMENTS = ["none", "upstream-drop", "tier1-drop", "tier1-depref", "access-drop", "all-drop", "all-depref"] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

export function deploymentRov(d: Deployment, site: AttackerSite): Record<number, RovMode> {
  const set = (asns: readonly number[], mode: RovMode) => Object.fromEntries(asns.map((a) => [a, mode]));
  const access = rovCapableAses().filter((a) => a.kind === "access").map((a) => a.asn);
  const all = rovCapableAses().map((a) => a.asn);
  switch (d) {
    case "none":
      return {};
    case "upstream-drop":
      return { [site.provider]: "drop-invalid" };
    case "tier1-drop":
      return set(TIER1, "drop-invalid");
    case "tier1-depref":
      return set(TIER1, "depref-invalid");
    case "access-drop":
      return set(access, "drop-invalid");
    case "all-drop":
      return set(all, "drop-invalid");
    case "all-depref":
      return set(all, "depref-invalid");
  }
}

export function deploymentText(d: Deployment, site: AttackerSite): string {
  switch (d) {
    case "none":
      return "no network validates routes";
    case "upstream-drop":
      return `only AS${site.provider}, the attacker's transit provider, drops Invalid routes`;
    case "tier1-drop":
      return "the four tier-1 networks (AS3356, AS1299, AS174, AS2914) drop Invalid routes; nobody else validates";
    case "tier1-depref":
      return "the four tier-1 networks give Invalid routes a lower local preference (they keep them); nobody else validates";
    case "access-drop":
      return "every access ISP drops Invalid routes; the transit networks do not validate";
    case "all-drop":
      return "every transit and access network drops Invalid routes";
    case "all-depref":
      return "every transit and access network gives Invalid routes a lower local preference";
  }
}

export const ROA_TEXT: Record<RoaPolicy, (prefix: string, asn: number) => string> = {
  minimal: (p, asn) => `a minimal ROA: ${p}, maxLength ${p.split("/")[1]}, AS${asn}`,
  loose: (p, asn) => `a loose ROA: ${p}, maxLength 24, AS${asn}`,
  none: () => "no ROA at all",
};

export function hijackLab(input: HijackInput & { kind: HijackKind }, deployment: Deployment, site: AttackerSite): LabLink {
  const rov = Object.entries(deploymentRov(deployment, site)).map(([a, m]) => `${a}:${m}`).join(",");
  return {
    page: LESSON_PAGE,
    lab: LAB_ID,
    query: {
      [`${LAB_ID}.kind`]: input.kind,
      ...(input.victim && input.victim !== "google" ? { [`${LAB_ID}.victim`]: input.victim } : {}),
      ...(input.roa && input.roa !== "minimal" ? { [`${LAB_ID}.roa`]: input.roa } : {}),
      ...(input.attacker && input.attacker !== "frankfurt" ? { [`${LAB_ID}.attacker`]: input.attacker } : {}),
      ...(rov ? { [`${LAB_ID}.rov`]: rov } : {}),
    },
  };
}

/** What a question reads off a hijack run, kept small so runs can be remembered between seeds. */
export interface HijackSummary {
  readonly state: RovState;
  readonly prefix: string;
  readonly origin: number | null;
  readonly path: readonly number[];
  readonly routersShare: number;
  readonly cities: readonly { readonly city: SiteId; readonly router: string; readonly captured: boolean }[];
}

const summaries = new Map<string, HijackSummary>();

/**
 * `runHijack` for questions: the same deterministic run, remembered by its input (a template's seeds
 * draw from a few dozen settings, so most variants reuse a run).
 */
export function hijackSummary(input: HijackInput): HijackSummary {
  const key = JSON.stringify([input.kind, input.victim ?? "google", input.roa ?? "minimal", input.attacker ?? "frankfurt", Object.entries(input.rov ?? {}).sort(), input.model ?? "real"]);
  let s = summaries.get(key);
  if (!s) {
    const o = runHijack(input);
    s = {
      state: o.hijackValidation!.state,
      prefix: o.hijackValidation!.prefix,
      origin: o.hijackValidation!.origin,
      path: o.hijackPath!,
      routersShare: o.share.routers,
      cities: o.cities.map((c) => ({ city: c.city, router: c.router, captured: c.captured })),
    };
    summaries.set(key, s);
  }
  return s;
}
