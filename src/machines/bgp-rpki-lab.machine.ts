import { assign, setup } from "xstate";
// Straight from their modules (no barrels): the lab page loads this machine up front.
import { ATTACKER_SITES, HIJACK_KINDS, HIJACK_LABELS, runHijack, VICTIMS, type AttackerSite, type HijackKind, type HijackOutcome, type RoaPolicy, type Victim } from "../sim/rpki/hijacks";
import { LAB_STAGES, routerView, type RouterView } from "../sim/rpki/hijack-view";
import { makeVrp, VrpFieldError, type Vrp } from "../sim/rpki/vrp";
import type { RouterName, RovMode } from "../sim/bgp/types";

/**
 * The BGP/RPKI lab: pick a hijack, the victim's ROA and which ASes validate; the simulated internet
 * converges and every router's packets for the victim's address are followed to where they land.
 * One router at a time can be stepped through the four stages (validation, import policy, best path,
 * FIB). A VRP typed into the form can replace the ROA; each field keeps its own error and a bad
 * edit keeps the last good VRP in force.
 */
export type RoaChoice = RoaPolicy | "custom";
export type VrpField = "prefix" | "maxLength" | "asn";
export const ROV_MODES: readonly RovMode[] = ["off", "drop-invalid", "depref-invalid"];

export interface BgpRpkiLabContext {
  readonly kind: HijackKind;
  readonly victim: Victim["id"];
  readonly roa: RoaChoice;
  readonly attacker: AttackerSite["id"];
  readonly rov: Readonly<Record<number, RovMode>>;
  readonly router: RouterName;
  /** Index into LAB_STAGES for the selected router. */
  readonly stage: number;
  readonly vrpText: Readonly<Record<VrpField, string>>;
  readonly vrpErrors: Readonly<Partial<Record<VrpField, string>>>;
  /** The last VRP the form read without error. */
  readonly customVrp: Vrp;
  readonly outcome: HijackOutcome;
  readonly view: RouterView;
  /** What a link asked for that the lab could not read (shown at the lab; the rest of the link still applies). */
  readonly linkProblems: readonly string[];
}

export type BgpRpkiLabEvent =
  | { type: "SET_KIND"; kind: HijackKind }
  | { type: "SET_VICTIM"; victim: Victim["id"] }
  | { type: "SET_ROA"; roa: RoaChoice }
  | { type: "SET_ATTACKER"; attacker: AttackerSite["id"] }
  | { type: "SET_ROV"; asn: number; mode: RovMode }
  | { type: "SET_ROV_ALL"; asns: readonly number[]; mode: RovMode }
  | { type: "SELECT_ROUTER"; router: RouterName }
  | { type: "STEP_FORWARD" }
  | { type: "STEP_BACK" }
  | { type: "GO_TO_STAGE"; stage: number }
  | { type: "EDIT_VRP"; field: VrpField; text: string }
  | { type: "LOAD"; state: BgpRpkiLabInput }
  /** A permalink's parameters for this lab, by key without the `<labId>.` prefix, as typed in the URL. */
  | { type: "LOAD_LINK"; params: Readonly<Record<string, string>> };

export interface BgpRpkiLabInput {
  readonly kind?: string;
  readonly victim?: string;
  readonly roa?: string;
  readonly attacker?: string;
  readonly rov?: Readonly<Record<number, RovMode>>;
  readonly router?: string;
}

const DEFAULT_VRP_TEXT = { prefix: "34.98.0.0/16", maxLength: "24", asn: "AS15169" } as const;

function compute(c: Omit<BgpRpkiLabContext, "outcome" | "view" | "linkProblems">): Pick<BgpRpkiLabContext, "outcome" | "view" | "router"> {
  const outcome = runHijack({
    kind: c.kind,
    victim: c.victim,
    roa: c.roa === "custom" ? "minimal" : c.roa,
    attacker: c.attacker,
    rov: c.rov,
    ...(c.roa === "custom" ? { vrps: [c.customVrp] } : {}),
  });
  const known = outcome.ases.some((a) => a.routers.some((r) => r.router === c.router));
  const router = known ? c.router : outcome.cities[0]!.router;
  return { outcome, view: routerView(outcome, router), router };
}

function readVrpForm(text: Readonly<Record<VrpField, string>>, last: Vrp): Pick<BgpRpkiLabContext, "vrpErrors" | "customVrp"> {
  try {
    return { vrpErrors: {}, customVrp: makeVrp(text.prefix, text.maxLength, text.asn, "typed") };
  } catch (error) {
    if (error instanceof VrpFieldError) return { vrpErrors: { [error.field]: error.description }, customVrp: last };
    throw error;
  }
}

/** Reads `rov` query text "174:drop-invalid,3215:depref-invalid" (unknown entries are skipped). */
export function parseRovParam(text: string | null): Record<number, RovMode> {
  const out: Record<number, RovMode> = {};
  for (const item of (text ?? "").split(",")) {
    const [asn, mode] = item.split(":");
    if (asn && /^[0-9]+$/.test(asn) && ROV_MODES.includes(mode as RovMode)) out[Number(asn)] = mode as RovMode;
  }
  return out;
}

export function formatRovParam(rov: Readonly<Record<number, RovMode>>): string {
  return Object.entries(rov).filter(([, m]) => m !== "off").map(([a, m]) => `${a}:${m}`).join(",");
}

function initial(input: BgpRpkiLabInput): BgpRpkiLabContext {
  const kind = HIJACK_KINDS.includes(input.kind as HijackKind) ? (input.kind as HijackKind) : "sub-prefix";
  const roa: RoaChoice = (["minimal", "loose", "none", "custom"] as const).includes(input.roa as RoaChoice) ? (input.roa as RoaChoice) : "minimal";
  const attacker = input.attacker && input.attacker in ATTACKER_SITES ? (input.attacker as AttackerSite["id"]) : "frankfurt";
  const victim = input.victim && input.victim in VICTIMS ? (input.victim as Victim["id"]) : "google";
  const base = {
    kind,
    victim,
    roa,
    attacker,
    rov: input.rov ?? {},
    router: input.router ?? "3215@paris",
    stage: 0,
    vrpText: DEFAULT_VRP_TEXT,
    vrpErrors: {},
    customVrp: makeVrp(DEFAULT_VRP_TEXT.prefix, DEFAULT_VRP_TEXT.maxLength, DEFAULT_VRP_TEXT.asn, "typed"),
  };
  return { ...base, ...compute(base), linkProblems: [] };
}

const LINK_KEYS = ["kind", "victim", "roa", "attacker", "rov", "router", "step"] as const;
const shortText = (text: string) => JSON.stringify([...text].length > 40 ? `${[...text].slice(0, 40).join("")}…` : text);

/**
 * Reads a permalink's parameters: each known key checked against what the lab offers, anything
 * else named as not a setting of this lab. An empty value is the same as no parameter.
 *
 * @example readLink({ kind: "sub-prefix", rov: "174:drop-invalid" }).problems // []
 */
export function readLink(params: Readonly<Record<string, string>>): { input: BgpRpkiLabInput; problems: string[] } {
  const problems: string[] = [];
  const input: { -readonly [K in keyof BgpRpkiLabInput]: BgpRpkiLabInput[K] } = {};
  const one = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const value = params[key]?.trim();
    if (!value) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`The link's ${key} ${shortText(value)} is not one of ${allowed.join(", ")}; showing the default.`);
    return undefined;
  };
  input.kind = one("kind", HIJACK_KINDS);
  input.victim = one("victim", Object.keys(VICTIMS));
  input.roa = one("roa", ["minimal", "loose", "none", "custom"]);
  input.attacker = one("attacker", Object.keys(ATTACKER_SITES));
  const rovText = params.rov?.trim();
  if (rovText) {
    const rov = parseRovParam(rovText);
    const wanted = rovText.split(",").filter((item) => item.trim() !== "");
    if (Object.keys(rov).length !== wanted.length) problems.push(`The link's rov ${shortText(rovText)} is not a list of ASN:mode (mode off, drop-invalid or depref-invalid); only the readable entries apply.`);
    input.rov = rov;
  }
  const router = params.router?.trim() || params.step?.trim();
  if (router) input.router = router;
  for (const key of Object.keys(params)) {
    if (!(LINK_KEYS as readonly string[]).includes(key) && params[key]!.trim() !== "") {
      problems.push(`The link's ${shortText(key)} is not a setting of this lab (it reads ${LINK_KEYS.join(", ")}).`);
    }
  }
  return { input, problems };
}

const rerun = (c: BgpRpkiLabContext, patch: Partial<BgpRpkiLabContext>): BgpRpkiLabContext => {
  const next = { ...c, ...patch };
  return { ...next, ...compute(next) };
};

export const bgpRpkiLabMachine = setup({
  types: {
    context: {} as BgpRpkiLabContext,
    events: {} as BgpRpkiLabEvent,
    input: {} as BgpRpkiLabInput,
  },
  actions: {
    setKind: assign(({ context, event }) => (event.type === "SET_KIND" ? rerun(context, { kind: event.kind, stage: 0 }) : context)),
    setVictim: assign(({ context, event }) => (event.type === "SET_VICTIM" ? rerun(context, { victim: event.victim, stage: 0 }) : context)),
    setRoa: assign(({ context, event }) => (event.type === "SET_ROA" ? rerun(context, { roa: event.roa, stage: 0 }) : context)),
    setAttacker: assign(({ context, event }) => (event.type === "SET_ATTACKER" ? rerun(context, { attacker: event.attacker, stage: 0 }) : context)),
    setRov: assign(({ context, event }) => (event.type === "SET_ROV" ? rerun(context, { rov: { ...context.rov, [event.asn]: event.mode } }) : context)),
    setRovAll: assign(({ context, event }) =>
      event.type === "SET_ROV_ALL" ? rerun(context, { rov: Object.fromEntries(event.asns.map((a) => [a, event.mode])) }) : context,
    ),
    selectRouter: assign(({ context, event }) => (event.type === "SELECT_ROUTER" ? rerun(context, { router: event.router, stage: 0 }) : context)),
    stepForward: assign(({ context }) => ({ stage: Math.min(context.stage + 1, LAB_STAGES.length - 1) })),
    stepBack: assign(({ context }) => ({ stage: Math.max(context.stage - 1, 0) })),
    goToStage: assign(({ context, event }) =>
      event.type === "GO_TO_STAGE" && Number.isInteger(event.stage) ? { stage: Math.max(0, Math.min(event.stage, LAB_STAGES.length - 1)) } : context,
    ),
    editVrp: assign(({ context, event }) => {
      if (event.type !== "EDIT_VRP") return context;
      const vrpText = { ...context.vrpText, [event.field]: event.text };
      const read = readVrpForm(vrpText, context.customVrp);
      const next = { ...context, vrpText, ...read };
      return context.roa === "custom" && read.customVrp !== context.customVrp ? { ...next, ...compute(next) } : next;
    }),
    load: assign(({ event }) => (event.type === "LOAD" ? initial(event.state) : {})),
    loadLink: assign(({ event }) => {
      if (event.type !== "LOAD_LINK") return {};
      const { input, problems } = readLink(event.params);
      const next = initial(input);
      if (input.router && next.router !== input.router) problems.push(`The link's router ${shortText(input.router)} is not a router of this internet (they are named ASN@city, e.g. 3215@paris).`);
      return { ...next, linkProblems: problems };
    }),
  },
}).createMachine({
  id: "bgpRpkiLab",
  context: ({ input }) => initial(input),
  on: {
    SET_KIND: { actions: "setKind" },
    SET_VICTIM: { actions: "setVictim" },
    SET_ROA: { actions: "setRoa" },
    SET_ATTACKER: { actions: "setAttacker" },
    SET_ROV: { actions: "setRov" },
    SET_ROV_ALL: { actions: "setRovAll" },
    SELECT_ROUTER: { actions: "selectRouter" },
    STEP_FORWARD: { actions: "stepForward" },
    STEP_BACK: { actions: "stepBack" },
    GO_TO_STAGE: { actions: "goToStage" },
    EDIT_VRP: { actions: "editVrp" },
    LOAD: { actions: "load" },
    LOAD_LINK: { actions: "loadLink" },
  },
});

/** What the live region says after a change: the scenario's result and the current stage. */
export function labAnnouncement(c: BgpRpkiLabContext): string {
  const o = c.outcome;
  const cities = o.cities.filter((x) => x.captured).length;
  return `${HIJACK_LABELS[c.kind]}. ${Math.round(o.share.ases * 100)}% of ASes and ${cities} of ${o.cities.length} user cities send ${o.victim.address}'s traffic to the attacker. ${c.view.sentences[LAB_STAGES[c.stage]!]}`;
}
