import { assign, setup } from "xstate";
// Straight from their modules, not the `sim` barrel: the lab page loads this machine up front.
import { isPrime, maglevTable } from "../sim/edge/maglev";
import { flowMoves, measureDisruption, type Disruption } from "../sim/edge/maglev-disruption";
import { conntrackStory, type ConntrackStory } from "../sim/edge/maglev-ecmp";
import { hashMod, sampleFlows, type Flow } from "../sim/edge/maglev-flows";
import type { HashingScheme } from "../sim/edge/maglev-schemes";

/**
 * The Maglev lab: a small Maglev table (M slots, shown one by one) over a set of GFEs. Remove, restore
 * or add a GFE and compare with the set before that change: which slots moved, each GFE's share, which
 * sample flows change GFE under Maglev, hash mod N and rendezvous hashing; and, as steps, what ECMP and
 * connection tracking do with one connection when a Maglev is drained.
 */
export const MAGLEV_LAB_MAGLEVS = ["maglev-1", "maglev-2", "maglev-3", "maglev-4"] as const;
export const MAGLEV_LAB_MAX_GFES = 8;
/** Largest table the lab shows slot by slot. */
export const MAGLEV_LAB_MAX_SIZE = 97;
/** Flows the conntrack story can follow (the first twelve are also shown in the flows table). */
export const MAGLEV_LAB_STORY_FLOWS = 40;
const SAMPLE_FLOWS = 12;
const MEASURED_FLOWS = 1000;

export interface MaglevLabGfe {
  readonly name: string;
  readonly live: boolean;
}

export interface MaglevLabContext {
  readonly sizeText: string;
  /** The last valid table size: a bad entry leaves the lab on it. */
  readonly size: number;
  readonly gfes: readonly MaglevLabGfe[];
  /** The live GFEs before the last change (equal to the live set until something changes). */
  readonly previous: readonly string[];
  readonly nameText: string;
  /**
   * A message per field: `size` and `name` for typed values; `gfes`, `flow` and `step` for a link's
   * values the lab could not use (each shown at its control, the rest of the link still applied).
   */
  readonly errors: Readonly<Partial<Record<MaglevLabErrorField, string>>>;
  /** The sample flow the connection-tracking story follows (index into the sample flows). */
  readonly storyFlow: number;
  readonly storyStep: number;
  /** What the last event changed, in words, for the live region. */
  readonly announcement: string;
  readonly seed: number;
  /** What RESET returns to. */
  readonly origin: { readonly gfes: readonly string[]; readonly size: number; readonly seed: number };
}

export type MaglevLabErrorField = "size" | "name" | "gfes" | "flow" | "step";

/**
 * A permalink's values, as the address holds them (`?maglev.size=31&maglev.removed=gfe-2#lab-maglev`),
 * unchecked: the machine checks each and explains a bad one at its control. Null when absent.
 */
export interface MaglevLabLinkState {
  /** The table size. */
  readonly size?: string | null;
  /** Every GFE in the list, in order, comma-separated (in service or not). */
  readonly gfes?: string | null;
  /** The GFEs out of service. */
  readonly removed?: string | null;
  /** The GFEs in service before the last change (the set the comparison is against); absent: no change. */
  readonly before?: string | null;
  /** The connection the story follows, 1-based (F1 …). */
  readonly flow?: string | null;
  /** The story step: 1-based, or a step id (`takeover`). */
  readonly step?: string | null;
  /** The seed the sample flows are drawn with. */
  readonly seed?: string | null;
}

/** The link keys the lab reads and writes, under `<labId>.`. */
export const MAGLEV_LAB_LINK_KEYS = ["size", "gfes", "removed", "before", "flow", "step", "seed"] as const;

export type MaglevLabEvent =
  | { type: "SET_SIZE"; text: string }
  | { type: "TOGGLE_GFE"; name: string }
  | { type: "SET_NAME"; text: string }
  | { type: "ADD_GFE" }
  | { type: "SELECT_FLOW"; index: number }
  | { type: "STORY_NEXT" }
  | { type: "STORY_PREV" }
  | { type: "STORY_FIRST" }
  | { type: "RESET" }
  /** A permalink, read by `readMaglevLabLink` (`maglev-lab-link.ts`, loaded only when a link needs it). */
  | { type: "LOAD_STATE"; link: MaglevLabLinkState; read: (context: MaglevLabContext, link: MaglevLabLinkState, tools: MaglevLabLinkTools) => MaglevLabContext }
  /** The link reader could not be fetched (the network dropped): said in the live region, the lab as it was. */
  | { type: "LINK_FAILED" };

export interface MaglevLabInput {
  readonly gfes?: readonly string[];
  readonly size?: number;
  readonly seed?: number;
}

const DEFAULT_GFES = ["gfe-1", "gfe-2", "gfe-3", "gfe-4"];
const DEFAULT_SIZE = 13;

export const withoutErrors = (errors: MaglevLabContext["errors"], ...fields: MaglevLabErrorField[]) =>
  Object.fromEntries(Object.entries(errors).filter(([k]) => !fields.includes(k as MaglevLabErrorField))) as MaglevLabContext["errors"];

export const liveGfes = (gfes: readonly MaglevLabGfe[]) => gfes.filter((g) => g.live).map((g) => g.name);

/** Why a table size is refused, or null when it is usable for these GFEs in this lab. */
export function sizeProblem(text: string, gfeCount: number): string | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return "Type a whole number: a prime such as 7, 13 or 31.";
  const n = Number(t);
  if (!isPrime(n)) {
    let d = 2;
    while (d * d <= n && n % d !== 0) d++;
    const factors = n < 2 ? "" : ` (${d} × ${n / d})`;
    return `${n} is not prime${factors}: with a composite size some backends' permutations would skip slots.`;
  }
  if (n < gfeCount) return `${n} slots cannot hold ${gfeCount} GFEs: the table needs at least one slot per GFE.`;
  if (n > MAGLEV_LAB_MAX_SIZE) return `This lab shows tables up to ${MAGLEV_LAB_MAX_SIZE} slots; real Maglevs use 65,537.`;
  return null;
}

export const GFE_NAME = /^[a-z0-9][a-z0-9-]{0,19}$/;

/** Why a new GFE name is refused, or null. */
export function nameProblem(text: string, gfes: readonly MaglevLabGfe[]): string | null {
  const t = text.trim();
  if (t === "") return "Type a name for the new GFE, such as gfe-5.";
  if (!GFE_NAME.test(t)) return "Use up to 20 lower-case letters, digits and hyphens, starting with a letter or digit.";
  if (gfes.some((g) => g.name === t)) return `${t} is already in the list; restore it with its button instead.`;
  if (gfes.length >= MAGLEV_LAB_MAX_GFES) return `This lab holds up to ${MAGLEV_LAB_MAX_GFES} GFEs.`;
  return null;
}

const flowCache = new Map<number, Flow[]>();
/** The lab's flows: the first 12 are shown one by one, all 1,000 are measured. */
export function labFlows(seed: number): Flow[] {
  let flows = flowCache.get(seed);
  if (!flows) flowCache.set(seed, (flows = sampleFlows(seed, MEASURED_FLOWS)));
  return flows;
}

export interface SlotView {
  readonly slot: number;
  readonly owner: string;
  /** Its owner before the last change, when different. */
  readonly was: string | null;
}

export interface FlowView {
  readonly key: string;
  readonly slot: number;
  readonly schemes: Readonly<Record<HashingScheme, { readonly before: string; readonly after: string; readonly moved: boolean }>>;
}

export interface MaglevLabView {
  readonly size: number;
  readonly live: readonly string[];
  readonly previous: readonly string[];
  readonly changed: boolean;
  readonly slots: readonly SlotView[];
  readonly shares: readonly { readonly name: string; readonly slots: number; readonly before: number | null }[];
  readonly movedSlots: number;
  readonly flows: readonly FlowView[];
  /** Maglev, hash mod N and rendezvous on 1,000 flows, previous set → current set. */
  readonly measured: readonly Disruption[];
  readonly story: ConntrackStory;
}

const SCHEMES: readonly HashingScheme[] = ["maglev", "modulo", "rendezvous"];

/** Everything the island draws, computed from the context (pure; the sim caches the tables). */
export function maglevLabView(context: MaglevLabContext): MaglevLabView {
  const now = liveGfes(context.gfes);
  const before = context.previous;
  const size = context.size;
  const tableNow = maglevTable(now, size);
  const tableBefore = maglevTable(before, size);
  const slots = tableNow.entries.map((owner, slot) => {
    const name = now[owner]!;
    const was = before[tableBefore.entries[slot]!]!;
    return { slot, owner: name, was: was === name ? null : was };
  });
  const shares = now.map((name, i) => {
    const j = before.indexOf(name);
    return { name, slots: tableNow.slotCounts[i]!, before: j < 0 ? null : tableBefore.slotCounts[j]! };
  });
  const flows = labFlows(context.seed);
  const shown = flows.slice(0, SAMPLE_FLOWS);
  const moves = Object.fromEntries(SCHEMES.map((s) => [s, flowMoves(s, { before, after: now, flows: shown, tableSize: size })])) as Record<HashingScheme, ReturnType<typeof flowMoves>>;
  const flowViews = shown.map((flow, i) => ({
    key: flow.key,
    slot: hashMod(flow, size),
    schemes: Object.fromEntries(SCHEMES.map((s) => [s, { before: moves[s][i]!.before, after: moves[s][i]!.after, moved: moves[s][i]!.moved }])) as FlowView["schemes"],
  }));
  const story = conntrackStory({
    maglevs: MAGLEV_LAB_MAGLEVS,
    gfesBefore: before,
    gfesAfter: now,
    flow: flows[context.storyFlow] ?? flows[0]!,
    tableSize: size,
  });
  return {
    size,
    live: now,
    previous: before,
    changed: before.join(",") !== now.join(","),
    slots,
    shares,
    movedSlots: slots.filter((s) => s.was !== null).length,
    flows: flowViews,
    measured: measureDisruption({ before, after: now, flows, tableSize: size }),
    story,
  };
}

/** One sentence on what a set change did, for the live region. */
export function describeChange(context: MaglevLabContext, what: string): string {
  const v = maglevLabView(context);
  const [maglev, modulo, rendezvous] = v.measured;
  const shown = (s: HashingScheme) => v.flows.filter((f) => f.schemes[s].moved).length;
  return (
    `${what}. ${v.movedSlots} of ${v.size} slots changed GFE. Of the 12 sample flows, Maglev moved ${shown("maglev")}, ` +
    `hash mod N ${shown("modulo")}, rendezvous ${shown("rendezvous")}; of 1,000 flows: ` +
    `Maglev ${pct(maglev!.movedShare)}, hash mod N ${pct(modulo!.movedShare)}, rendezvous ${pct(rendezvous!.movedShare)}.`
  );
}
export const pct = (share: number) => `${(100 * share).toFixed(1)}%`;

function initial(input: MaglevLabInput): MaglevLabContext {
  const names = input.gfes && input.gfes.length > 0 ? [...new Set(input.gfes)].slice(0, MAGLEV_LAB_MAX_GFES) : DEFAULT_GFES;
  const size = input.size !== undefined && sizeProblem(String(input.size), names.length) === null ? input.size : DEFAULT_SIZE;
  return {
    sizeText: String(size),
    size,
    gfes: names.map((name) => ({ name, live: true })),
    previous: names,
    nameText: "",
    errors: {},
    storyFlow: 0,
    storyStep: 0,
    announcement: "",
    seed: input.seed ?? 1,
    origin: { gfes: names, size, seed: input.seed ?? 1 },
  };
}


/** What the link reader (`maglev-lab-link.ts`) needs from the lab, handed in rather than imported. */
export interface MaglevLabLinkTools {
  readonly view: typeof maglevLabView;
  readonly sizeProblem: typeof sizeProblem;
  readonly describeChange: typeof describeChange;
  readonly liveGfes: typeof liveGfes;
  readonly gfeName: RegExp;
  readonly maxGfes: number;
  readonly maxSize: number;
  readonly storyFlows: number;
}
const LINK_TOOLS: MaglevLabLinkTools = {
  view: maglevLabView, sizeProblem, describeChange, liveGfes, gfeName: GFE_NAME,
  maxGfes: MAGLEV_LAB_MAX_GFES, maxSize: MAGLEV_LAB_MAX_SIZE, storyFlows: MAGLEV_LAB_STORY_FLOWS,
};

export const maglevLabMachine = setup({
  types: {
    context: {} as MaglevLabContext,
    events: {} as MaglevLabEvent,
    input: {} as MaglevLabInput,
  },
  guards: {
    canToggle: ({ context, event }) => {
      if (event.type !== "TOGGLE_GFE") return false;
      const g = context.gfes.find((x) => x.name === event.name);
      // The last live GFE stays: Maglev needs one backend to build a table.
      return g !== undefined && (!g.live || liveGfes(context.gfes).length > 1);
    },
  },
  actions: {
    setSize: assign(({ context, event }) => {
      if (event.type !== "SET_SIZE") return {};
      const problem = sizeProblem(event.text, Math.max(liveGfes(context.gfes).length, context.previous.length));
      if (problem) return { sizeText: event.text, errors: { ...context.errors, size: problem }, announcement: "" };
      const size = Number(event.text.trim());
      const { size: _, ...others } = context.errors;
      const next = { ...context, sizeText: event.text, size, errors: others, storyStep: 0 };
      return { ...next, announcement: `Table of ${size} slots: ${maglevLabView(next).shares.map((s) => `${s.name} ${s.slots}`).join(", ")}.` };
    }),
    toggle: assign(({ context, event }) => {
      if (event.type !== "TOGGLE_GFE") return {};
      const target = context.gfes.find((g) => g.name === event.name)!;
      const next = { ...context, previous: liveGfes(context.gfes), gfes: context.gfes.map((g) => (g.name === event.name ? { ...g, live: !g.live } : g)), storyStep: 0, errors: withoutErrors(context.errors, "gfes") };
      return { ...next, announcement: describeChange(next, `${event.name} ${target.live ? "removed" : "restored"}`) };
    }),
    // An emptied field is "nothing asked yet", not a refused name: its message goes.
    setName: assign(({ context, event }) => (event.type === "SET_NAME" ? { nameText: event.text, ...(event.text.trim() === "" ? { errors: withoutErrors(context.errors, "name") } : {}) } : {})),
    add: assign(({ context }) => {
      // Add with an empty field asks for nothing: no GFE, and no message either.
      if (context.nameText.trim() === "") return { errors: withoutErrors(context.errors, "name"), announcement: "" };
      const problem = nameProblem(context.nameText, context.gfes);
      if (problem) return { errors: { ...context.errors, name: problem }, announcement: "" };
      const name = context.nameText.trim();
      const others = withoutErrors(context.errors, "name", "gfes");
      const gfes = [...context.gfes, { name, live: true }];
      // A size too small for the new set would be refused; Maglev's tables are ≫ N, so grow it.
      let size = context.size;
      while (size < gfes.length) size++;
      while (!isPrime(size)) size++;
      const next = { ...context, previous: liveGfes(context.gfes), gfes, nameText: "", errors: others, size, sizeText: String(size), storyStep: 0 };
      return { ...next, announcement: describeChange(next, `${name} added`) };
    }),
    selectFlow: assign(({ context, event }) => (event.type === "SELECT_FLOW" ? { storyFlow: Math.max(0, Math.min(MAGLEV_LAB_STORY_FLOWS - 1, event.index)), storyStep: 0, errors: withoutErrors(context.errors, "flow") } : {})),
    storyMove: assign(({ context, event }) => {
      const steps = maglevLabView(context).story.steps;
      const step = event.type === "STORY_FIRST" ? 0 : Math.max(0, Math.min(steps.length - 1, context.storyStep + (event.type === "STORY_NEXT" ? 1 : -1)));
      const s = steps[step]!;
      return { storyStep: step, errors: withoutErrors(context.errors, "step"), announcement: `Step ${step + 1} of ${steps.length}: ${s.title}. ${s.detail}` };
    }),
    reset: assign(({ context }) => ({ ...initial(context.origin), announcement: "Lab reset: the starting GFEs, table size and flows." })),
    linkFailed: assign({ announcement: "This page's link to a lab state could not be opened (is the network down?); the lab shows its starting state." }),
    load: assign(({ context, event }) => (event.type === "LOAD_STATE" ? event.read(context, event.link, LINK_TOOLS) : {})),
  },
}).createMachine({
  id: "maglevLab",
  context: ({ input }) => initial(input),
  initial: "ready",
  states: {
    ready: {
      on: {
        SET_SIZE: { actions: "setSize" },
        TOGGLE_GFE: { guard: "canToggle", actions: "toggle" },
        SET_NAME: { actions: "setName" },
        ADD_GFE: { actions: "add" },
        SELECT_FLOW: { actions: "selectFlow" },
        STORY_NEXT: { actions: "storyMove" },
        STORY_PREV: { actions: "storyMove" },
        STORY_FIRST: { actions: "storyMove" },
        RESET: { actions: "reset" },
        LOAD_STATE: { actions: "load" },
        LINK_FAILED: { actions: "linkFailed" },
      },
    },
  },
});
