import { assign, setup } from "xstate";
import { parseHostName } from "../sim/net/dns-name";
import { InputError } from "../sim/net/errors";
import { handshakeMessages } from "../sim/tls/handshake/messages";
import { chooseCertificate, type CertificateChoice, type ProxyCertificate } from "../sim/tls/handshake/sni";
import { HOP_IDS, type HandshakeHop, type HopId, type JourneyTls, type MessageId, type TlsMessage } from "../sim/tls/handshake/types";
import { parseReferenceId } from "../sim/tls/x509/names";

/**
 * The handshake stepper: the flagship's TLS-relevant settings (shared with the journey labs as
 * `scenario.<key>` in the address), the TLS session chosen among those the trace holds, and a cursor
 * over that session's messages; beside it, the SNI chooser over a target HTTPS proxy's certificates.
 *
 * The journey for the lab's defaults is computed when the site is built and handed in (`known`); the
 * simulator that computes others (`ComputeJourney`) is injected, or sent in by the component once it
 * has loaded it on demand (`SIMULATOR_LOADED`). Until then a changed setting waits with the last
 * journey on screen. A bad value — at a field, or in a link — gets its own message and changes nothing else.
 */

export type ComputeJourney = (settings: Readonly<Record<string, string>>) => JourneyTls;

export interface HandshakeSettingSpec {
  readonly key: string;
  readonly label: string;
  /** The values offered; empty for a free text setting (the host). */
  readonly values: readonly { readonly value: string; readonly label: string }[];
}

export interface HandshakeStepperInput {
  readonly settings: readonly HandshakeSettingSpec[];
  readonly defaults: Readonly<Record<string, string>>;
  readonly known?: Readonly<Record<string, JourneyTls>>;
  readonly compute?: ComputeJourney | null;
  readonly certificates: readonly ProxyCertificate[];
  /** What the SNI chooser starts on. */
  readonly sniHost?: string;
}

export interface HandshakeStepperContext {
  readonly specs: readonly HandshakeSettingSpec[];
  readonly defaults: Readonly<Record<string, string>>;
  readonly chosen: Readonly<Record<string, string>>;
  readonly journey: JourneyTls | null;
  readonly shownFor: Readonly<Record<string, string>>;
  readonly known: Readonly<Record<string, JourneyTls>>;
  readonly compute: ComputeJourney | null;
  readonly waiting: boolean;
  /** A message per setting, under "simulator" when loading failed. */
  readonly errors: Readonly<Record<string, string>>;
  /** What a field holds as typed, when it differs from the chosen value (a bad host name). */
  readonly drafts: Readonly<Record<string, string>>;
  readonly hop: HopId;
  readonly step: number;
  /** Hop and step a link asked for, applied once its journey is on screen. */
  readonly pending: { readonly hop: string | null; readonly step: string | null } | null;
  readonly linkErrors: readonly string[];
  readonly certificates: readonly ProxyCertificate[];
  readonly sniText: string;
  readonly sniError: string | null;
  readonly choice: CertificateChoice | null;
  readonly announcement: string;
}

export type HandshakeStepperEvent =
  | { type: "SET_SETTING"; key: string; value: string }
  | { type: "RESET" }
  | { type: "SET_HOP"; hop: string }
  | { type: "NEXT" }
  | { type: "BACK" }
  | { type: "FIRST" }
  | { type: "GO_TO"; step: number }
  | { type: "OPEN_LINK"; scenario: Readonly<Record<string, string>>; hop: string | null; step: string | null }
  | { type: "SET_SNI"; text: string }
  | { type: "MAKE_PRIMARY"; index: number }
  | { type: "SIMULATOR_LOADED"; compute: ComputeJourney }
  | { type: "SIMULATOR_FAILED"; error: unknown };

/** A stable key for a set of settings (sorted), to look journeys up by. */
export function settingsKey(settings: Readonly<Record<string, string>>): string {
  return Object.keys(settings).sort().map((k) => `${k}=${settings[k]}`).join("&");
}

/** The session on screen, or null while there is none. */
export function currentHop(c: Pick<HandshakeStepperContext, "journey" | "hop">): HandshakeHop | null {
  return c.journey?.hops.find((h) => h.id === c.hop) ?? c.journey?.hops[0] ?? null;
}

/** The messages of the session on screen. */
export function currentMessages(c: Pick<HandshakeStepperContext, "journey" | "hop">): TlsMessage[] {
  const hop = currentHop(c);
  return hop ? handshakeMessages(hop) : [];
}

const PROTECTION_WORDS = { clear: "in clear", "handshake-keys": "encrypted under the handshake keys", "application-keys": "encrypted under the application keys" } as const;

/** One sentence for the live region: where the cursor is and what an observer makes of it. */
export function announceStep(c: Pick<HandshakeStepperContext, "journey" | "hop" | "step">): string {
  const hop = currentHop(c);
  const ms = currentMessages(c);
  const m = ms[c.step];
  if (!hop || !m) return "No TLS session to step through.";
  return `${hop.title}. Message ${c.step + 1} of ${ms.length}: ${m.name} from ${m.sender}, ${PROTECTION_WORDS[m.protection]}. ${m.observer}`;
}

function validateSetting(spec: HandshakeSettingSpec, value: string): { value: string } | { error: string } {
  if (spec.values.length > 0) {
    return spec.values.some((v) => v.value === value)
      ? { value }
      : { error: `"${value}" is not a value of ${spec.label}; choose one of ${spec.values.map((v) => v.label).join(", ")}.` };
  }
  try {
    return { value: parseHostName(value) };
  } catch (e) {
    return { error: e instanceof InputError ? `${spec.label}: ${e.message}` : String(e) };
  }
}

type Patch = Partial<HandshakeStepperContext>;

/** Applies a link's hop and step to the journey now on screen; anything unusable becomes a message. */
function applyPending(journey: JourneyTls, pending: HandshakeStepperContext["pending"], linkErrors: readonly string[]): Patch {
  const first = journey.hops[0]?.id ?? "browser-cloudflare";
  if (!pending) return { hop: first, step: 0, pending: null };
  const errors = [...linkErrors];
  let hop: HopId = first;
  if (pending.hop !== null) {
    const found = journey.hops.find((h) => h.id === pending.hop);
    if (found) hop = found.id;
    else {
      errors.push((HOP_IDS as readonly string[]).includes(pending.hop)
        ? `The link asks for the ${pending.hop} session, which these settings do not have (${journey.hops.map((h) => h.id).join(", ") || "none"}); showing ${first}.`
        : `The link's hop "${pending.hop.slice(0, 40)}" is not a TLS session of the journey (one of ${HOP_IDS.join(", ")}); showing ${first}.`);
    }
  }
  let step = 0;
  if (pending.step !== null) {
    const ms = handshakeMessages(journey.hops.find((h) => h.id === hop)!);
    const n = /^\d+$/.test(pending.step) ? Number(pending.step) - 1 : ms.findIndex((m) => m.id === (pending.step as MessageId));
    if (n >= 0 && n < ms.length) step = n;
    else errors.push(`The link's step "${pending.step.slice(0, 40)}" is not a message of this handshake (1–${ms.length}, or a name like ${ms.map((m) => m.id).slice(0, 3).join(", ")}); starting at the ClientHello.`);
  }
  return { hop, step, pending: null, linkErrors: errors };
}

/** Shows (or waits for) the journey of `chosen`. */
function recompute(c: HandshakeStepperContext, chosen: Readonly<Record<string, string>>, compute: ComputeJourney | null, pending = c.pending, linkErrors = c.linkErrors): Patch {
  const key = settingsKey(chosen);
  let journey = c.known[key] ?? null;
  let known = c.known;
  if (!journey && compute) {
    try {
      journey = compute(chosen);
      known = { ...known, [key]: journey };
    } catch (error) {
      return { chosen, waiting: false, pending: null, errors: { simulator: error instanceof Error ? error.message : String(error) } };
    }
  }
  if (!journey) return { chosen, waiting: true, pending, linkErrors };
  const placed: Patch = pending
    ? applyPending(journey, pending, linkErrors)
    : { hop: journey.hops.some((h) => h.id === c.hop) ? c.hop : (journey.hops[0]?.id ?? c.hop), step: 0, linkErrors };
  const next = { ...c, ...placed, journey };
  return { chosen, journey, shownFor: chosen, known, waiting: false, errors: {}, ...placed, announcement: `${journey.outcome} ${announceStep(next)}` };
}

function choose(certs: readonly ProxyCertificate[], text: string): Patch {
  const host = text.trim();
  if (host === "") return { sniText: text, sniError: "Type a host name (like api.example.com) or an IP address.", choice: null };
  if (parseReferenceId(host) === null) {
    let why = "not a host name or an IP address";
    try {
      parseHostName(host);
    } catch (e) {
      if (e instanceof InputError) why = e.message;
    }
    return { sniText: text, sniError: `"${host.slice(0, 60)}": ${why}.`, choice: null };
  }
  const choice = chooseCertificate(certs, host);
  const shown = choice.index === null ? "no certificate" : certs[choice.index]!.name;
  return { sniText: text, sniError: null, choice, announcement: `For ${host} the load balancer presents ${shown}. ${choice.accepted ? "The client accepts it." : "The client refuses it."}` };
}

/** The cursor moved to `step` (clamped to the session's messages). */
function moveTo(context: HandshakeStepperContext, step: number): Patch {
  const total = currentMessages(context).length;
  const at = Math.max(0, Math.min(total - 1, step));
  return { step: at, announcement: announceStep({ ...context, step: at }) };
}

export const handshakeStepperMachine = setup({
  types: {
    context: {} as HandshakeStepperContext,
    events: {} as HandshakeStepperEvent,
    input: {} as HandshakeStepperInput,
  },
  actions: {
    setSetting: assign(({ context, event }) => {
      if (event.type !== "SET_SETTING") return {};
      const spec = context.specs.find((s) => s.key === event.key);
      if (!spec) return {};
      const checked = validateSetting(spec, event.value);
      if ("error" in checked) return { errors: { ...context.errors, [spec.key]: checked.error }, drafts: { ...context.drafts, [spec.key]: event.value } };
      const { [spec.key]: _draft, ...drafts } = context.drafts;
      const { [spec.key]: _error, ...errors } = context.errors;
      return { drafts, ...recompute({ ...context, errors }, { ...context.chosen, [spec.key]: checked.value }, context.compute) };
    }),
    reset: assign(({ context }) => ({ drafts: {}, linkErrors: [], ...recompute(context, context.defaults, context.compute, null, []) })),
    setHop: assign(({ context, event }) => {
      if (event.type !== "SET_HOP" || !context.journey?.hops.some((h) => h.id === event.hop)) return {};
      const next = { ...context, hop: event.hop as HopId, step: 0 };
      return { hop: next.hop, step: 0, announcement: announceStep(next) };
    }),
    next: assign(({ context }) => moveTo(context, context.step + 1)),
    back: assign(({ context }) => moveTo(context, context.step - 1)),
    first: assign(({ context }) => moveTo(context, 0)),
    goTo: assign(({ context, event }) => (event.type === "GO_TO" ? moveTo(context, event.step) : {})),
    openLink: assign(({ context, event }) => {
      if (event.type !== "OPEN_LINK") return {};
      const chosen: Record<string, string> = { ...context.chosen };
      const linkErrors: string[] = [];
      for (const [key, value] of Object.entries(event.scenario)) {
        const spec = context.specs.find((s) => s.key === key);
        if (!spec) continue; // a flagship setting this lab does not read (the city): other labs' business
        const checked = validateSetting(spec, value);
        if ("error" in checked) linkErrors.push(`The link's scenario.${key}: ${checked.error} Opened on ${context.defaults[key]}.`);
        else chosen[key] = checked.value;
      }
      return recompute(context, chosen, context.compute, { hop: event.hop, step: event.step }, linkErrors);
    }),
    setSni: assign(({ context, event }) => (event.type === "SET_SNI" ? choose(context.certificates, event.text) : {})),
    makePrimary: assign(({ context, event }) => {
      if (event.type !== "MAKE_PRIMARY" || event.index <= 0 || event.index >= context.certificates.length) return {};
      const certificates = [context.certificates[event.index]!, ...context.certificates.filter((_, i) => i !== event.index)];
      const chosen = choose(certificates, context.sniText);
      return { certificates, ...chosen, announcement: `${certificates[0]!.name} is now the primary certificate. ${chosen.announcement ?? ""}`.trim() };
    }),
    simulatorLoaded: assign(({ context, event }) => (event.type === "SIMULATOR_LOADED" ? { compute: event.compute, ...recompute(context, context.chosen, event.compute) } : {})),
    simulatorFailed: assign(({ context, event }) => {
      if (event.type !== "SIMULATOR_FAILED" || !context.waiting) return {};
      return { waiting: false, pending: null, errors: { simulator: `The simulator did not load (${String(event.error)}); change a setting to try again.` } };
    }),
  },
}).createMachine({
  id: "handshake-stepper",
  context: ({ input }) => {
    const known = input.known ?? {};
    const journey = known[settingsKey(input.defaults)] ?? (input.compute ? input.compute(input.defaults) : null);
    const sni = choose(input.certificates, input.sniHost ?? "api.example.com");
    const base: HandshakeStepperContext = {
      specs: input.settings, defaults: input.defaults, chosen: input.defaults, journey, shownFor: input.defaults,
      known, compute: input.compute ?? null, waiting: journey === null, errors: {}, drafts: {},
      hop: journey?.hops[0]?.id ?? "browser-cloudflare", step: 0, pending: null, linkErrors: [],
      certificates: input.certificates, sniText: sni.sniText ?? "", sniError: sni.sniError ?? null, choice: sni.choice ?? null,
      announcement: "",
    };
    return { ...base, announcement: journey ? announceStep(base) : "" };
  },
  initial: "ready",
  states: {
    ready: {
      on: {
        SET_SETTING: { actions: "setSetting" },
        RESET: { actions: "reset" },
        SET_HOP: { actions: "setHop" },
        NEXT: { actions: "next" },
        BACK: { actions: "back" },
        FIRST: { actions: "first" },
        GO_TO: { actions: "goTo" },
        OPEN_LINK: { actions: "openLink" },
        SET_SNI: { actions: "setSni" },
        MAKE_PRIMARY: { actions: "makePrimary" },
        SIMULATOR_LOADED: { actions: "simulatorLoaded" },
        SIMULATOR_FAILED: { actions: "simulatorFailed" },
      },
    },
  },
});

/** Whether what is on screen was computed for other settings than the chosen ones (waiting, or a failed load). */
export function isStale(c: Pick<HandshakeStepperContext, "chosen" | "shownFor">): boolean {
  return settingsKey(c.chosen) !== settingsKey(c.shownFor);
}
