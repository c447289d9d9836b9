import { assign, setup } from "xstate";
// Straight from the modules, not a barrel: the lab's page loads this machine up front.
import { attempt } from "../sim/net/errors";
import { challengeMaterial, CHALLENGES, readIdentifier, readToken, type AcmeIdentifier, type ChallengeMaterial, type ChallengeType } from "../sim/tls/acme/challenge";
import { parseAccountJwk, type AccountJwk } from "../sim/tls/acme/jwk";
import { SAMPLE_KEYS, SAMPLE_TOKEN, sampleKeyText } from "../sim/tls/acme/sample-keys";
import { CAA_PRESETS, ISSUERS, runCaCheck, SCENARIOS, type CaaPreset, type CaCheck, type IssuerDomain, type ScenarioId } from "../sim/tls/acme/scenarios";

/**
 * The ACME challenge lab: an account key (a sample, or pasted), a token and a name give the thumbprint,
 * the key authorization, the http-01 file and the dns-01 record; a scenario, a challenge, the zone's CAA
 * and the CA then give the CA's check, stepped with a cursor. A field that does not parse keeps its own
 * message and the lab keeps the last good value, so the rest goes on working.
 */
export type AcmeField = "jwk" | "token" | "domain";

export interface AcmeLabSettings {
  readonly scenario: ScenarioId;
  readonly challenge: ChallengeType;
  readonly caa: CaaPreset;
  readonly ca: IssuerDomain;
}

export interface AcmeLabContext {
  /** What each field holds, as typed. */
  readonly text: Readonly<Record<AcmeField, string>>;
  /** Each field's message, or null when it parses. */
  readonly errors: Readonly<Record<AcmeField, string | null>>;
  /** The sample key chosen, or "custom" once the learner edits the key. */
  readonly keyId: string;
  readonly account: AccountJwk;
  readonly token: string;
  readonly identifier: AcmeIdentifier;
  readonly material: ChallengeMaterial;
  readonly settings: AcmeLabSettings;
  readonly check: CaCheck;
  /** Index of the CA step shown. */
  readonly cursor: number;
  readonly linkProblems: readonly string[];
}

export type AcmeLabEvent =
  | { type: "PICK_KEY"; id: string }
  | { type: "EDIT"; field: AcmeField; text: string }
  | { type: "SET"; key: keyof AcmeLabSettings; value: string }
  | { type: "NEXT" }
  | { type: "PREV" }
  | { type: "FIRST" }
  | { type: "LAST" }
  | { type: "GOTO"; index: number }
  /** `<labId>.scenario`, `.challenge`, `.caa`, `.ca`, `.step` from the page's URL. */
  | { type: "LOAD_LINK"; params: Readonly<Record<string, string>> };

export interface AcmeLabInput {
  readonly scenario?: ScenarioId;
  readonly challenge?: ChallengeType;
  readonly caa?: CaaPreset;
  readonly ca?: IssuerDomain;
  readonly domain?: string;
  readonly keyId?: string;
}

export const ACME_LAB_DEFAULTS: AcmeLabSettings = { scenario: "owner", challenge: "http-01", caa: "none", ca: "letsencrypt.org" };
export const DEFAULT_DOMAIN = "shop.example.com";
const ALLOWED: Record<keyof AcmeLabSettings, readonly string[]> = { scenario: SCENARIOS, challenge: CHALLENGES, caa: CAA_PRESETS, ca: ISSUERS };

const quote = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "?");

function derive(c: Pick<AcmeLabContext, "account" | "token" | "identifier" | "settings">): Pick<AcmeLabContext, "material" | "check" | "cursor"> {
  const material = challengeMaterial(c.identifier, c.token, c.account.thumbprint);
  const s = c.settings;
  const check = runCaCheck({ scenario: s.scenario, challenge: s.challenge, identifier: c.identifier, token: c.token, thumbprint: c.account.thumbprint, caa: s.caa, issuer: s.ca });
  return { material, check, cursor: 0 };
}

function initial(input: AcmeLabInput): AcmeLabContext {
  const key = SAMPLE_KEYS.find((k) => k.id === input.keyId) ?? SAMPLE_KEYS[0]!;
  const domain = input.domain ?? DEFAULT_DOMAIN;
  const identifier = attempt(() => readIdentifier(domain, "name"));
  const settings: AcmeLabSettings = {
    scenario: input.scenario ?? ACME_LAB_DEFAULTS.scenario,
    challenge: input.challenge ?? ACME_LAB_DEFAULTS.challenge,
    caa: input.caa ?? ACME_LAB_DEFAULTS.caa,
    ca: input.ca ?? ACME_LAB_DEFAULTS.ca,
  };
  const base = {
    text: { jwk: sampleKeyText(key), token: SAMPLE_TOKEN, domain },
    errors: { jwk: null, token: null, domain: identifier.ok ? null : identifier.error.reason },
    keyId: key.id,
    account: parseAccountJwk(sampleKeyText(key)),
    token: SAMPLE_TOKEN,
    identifier: identifier.ok ? identifier.value : readIdentifier(DEFAULT_DOMAIN),
    settings,
    linkProblems: [],
  };
  return { ...base, ...derive(base) };
}

/** Reads one field; on success the value replaces the last good one, on failure only the message changes. */
function edit(c: AcmeLabContext, field: AcmeField, text: string, keyId = "custom"): Partial<AcmeLabContext> {
  const texts = { ...c.text, [field]: text };
  const errors = { ...c.errors };
  let next: Pick<AcmeLabContext, "account" | "token" | "identifier" | "settings"> = c;
  if (field === "jwk") {
    const r = attempt(() => parseAccountJwk(text, "key"));
    errors.jwk = r.ok ? null : `${r.error.input === "key" ? "" : `${r.error.input.replace(/^key\./, "")}: `}${r.error.reason}`;
    if (r.ok) next = { ...next, account: r.value };
  } else if (field === "token") {
    const r = attempt(() => readToken(text, "token"));
    errors.token = r.ok ? null : r.error.reason;
    if (r.ok) next = { ...next, token: r.value };
  } else {
    const r = attempt(() => readIdentifier(text, "name"));
    errors.domain = r.ok ? null : r.error.reason;
    if (r.ok) next = { ...next, identifier: r.value };
  }
  const changed = next !== c;
  const values = changed ? { account: next.account, token: next.token, identifier: next.identifier, ...derive(next) } : {};
  return { ...values, text: texts, errors, ...(field === "jwk" ? { keyId } : {}) };
}

const clamp = (c: AcmeLabContext, i: number) => Math.max(0, Math.min(c.check.steps.length - 1, i));

export const acmeLabMachine = setup({
  types: { context: {} as AcmeLabContext, events: {} as AcmeLabEvent, input: {} as AcmeLabInput },
  actions: {
    pickKey: assign(({ context, event }) => {
      if (event.type !== "PICK_KEY") return {};
      const key = SAMPLE_KEYS.find((k) => k.id === event.id);
      return key ? edit(context, "jwk", sampleKeyText(key), key.id) : {};
    }),
    edit: assign(({ context, event }) => (event.type === "EDIT" ? edit(context, event.field, event.text) : {})),
    set: assign(({ context, event }) => {
      if (event.type !== "SET" || !ALLOWED[event.key].includes(event.value)) return {};
      const settings = { ...context.settings, [event.key]: event.value } as AcmeLabSettings;
      return { settings, ...derive({ ...context, settings }) };
    }),
    next: assign(({ context }) => ({ cursor: clamp(context, context.cursor + 1) })),
    prev: assign(({ context }) => ({ cursor: clamp(context, context.cursor - 1) })),
    first: assign({ cursor: 0 }),
    last: assign(({ context }) => ({ cursor: context.check.steps.length - 1 })),
    goto: assign(({ context, event }) => (event.type === "GOTO" ? { cursor: clamp(context, event.index) } : {})),
    loadLink: assign(({ context, event }) => {
      if (event.type !== "LOAD_LINK") return {};
      const problems: string[] = [];
      const settings: Record<string, string> = { ...context.settings };
      for (const key of Object.keys(ALLOWED) as (keyof AcmeLabSettings)[]) {
        const v = event.params[key];
        if (v === undefined) continue;
        if (ALLOWED[key].includes(v)) settings[key] = v;
        else problems.push(`The link's ${key}=${quote(v)} is not one of ${ALLOWED[key].join(", ")}; the lab keeps ${settings[key]}.`);
      }
      for (const key of Object.keys(event.params)) {
        if (!(key in ALLOWED) && key !== "step") problems.push(`The link's ${quote(key)} is not a setting of this lab (it reads scenario, challenge, caa, ca and step); ignored.`);
      }
      const next = { ...context, settings: settings as unknown as AcmeLabSettings };
      const derived = derive(next);
      const steps = derived.check.steps;
      const step = event.params.step;
      let cursor = 0;
      if (step !== undefined) {
        const byId = steps.findIndex((s) => s.id === step);
        const byNumber = /^\d+$/.test(step) ? Number(step) - 1 : -1;
        cursor = byId >= 0 ? byId : byNumber >= 0 && byNumber < steps.length ? byNumber : -1;
        if (cursor < 0) {
          problems.push(`The link's step=${quote(step)} is not a step of this check (${steps.length} steps: ${steps.map((s) => s.id).join(", ")}); the lab opens at the first.`);
          cursor = 0;
        }
      }
      return { settings: next.settings, ...derived, cursor, linkProblems: problems };
    }),
  },
}).createMachine({
  id: "acmeLab",
  context: ({ input }) => initial(input),
  on: {
    PICK_KEY: { actions: "pickKey" },
    EDIT: { actions: "edit" },
    SET: { actions: "set" },
    NEXT: { actions: "next" },
    PREV: { actions: "prev" },
    FIRST: { actions: "first" },
    LAST: { actions: "last" },
    GOTO: { actions: "goto" },
    LOAD_LINK: { actions: "loadLink" },
  },
});

/** The sentence the live region reads for the step shown. */
export function stepAnnouncement(c: AcmeLabContext): string {
  const s = c.check.steps[c.cursor]!;
  const last = c.cursor === c.check.steps.length - 1;
  const end = last ? (c.check.outcome === "issued" ? ` Certificate issued${c.check.misissued ? " — to someone who does not control the name" : ""}.` : " The CA refuses.") : "";
  const mark = s.ok === null ? "" : s.ok ? " Passed." : " Failed.";
  return `Step ${c.cursor + 1} of ${c.check.steps.length}, ${s.id}: ${s.result}${mark}${end}`;
}
