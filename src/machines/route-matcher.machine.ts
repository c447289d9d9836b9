import { assign, setup } from "xstate";
// Straight from their modules, not a barrel: the lab page loads this machine up front.
import { ROUTE_MODELS, type RouteDecision, type RouteModel } from "../sim/kube/l7/decision";
import { PRESET_OBJECTS } from "../sim/kube/l7/preset-objects";
import { ROUTE_PRESETS } from "../sim/kube/l7/presets";
import { parseRouteRequest, type RouteRequest } from "../sim/kube/l7/request";
import { routeObjects, type L7Objects } from "../sim/kube/l7/route";
import { attempt, InputError } from "../sim/net/errors";
import { decodeLabInput, encodeLabInput } from "../sim/core/permalink";

/**
 * The route matcher: paste an Ingress or a Gateway with its HTTPRoutes, send a request (method, URL, headers),
 * read which backend takes it and why every other rule lost — and, optionally, what a named wrong model would
 * have said. Each field keeps its own text and its own error, so a bad header never hides the YAML's answer.
 *
 * A preset starts already read (`PRESET_OBJECTS`), so the first answer needs no YAML parser; the first edit of the
 * YAML sets `needsParser`, the island loads the parser (`loadL7`, with the manifest loader) and sends PARSER_READY.
 */
/** Reads pasted YAML into objects; throws a ManifestError (name "ManifestError", `problems`) or an InputError. */
export type L7Parser = (text: string) => L7Objects;
export type RouteField = "yaml" | "url" | "method" | "headers" | "via";
export type Via = "auto" | "ingress" | "gateway";

export interface YamlProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface RouteMatcherContext {
  readonly presetId: string | null;
  readonly yamlText: string;
  readonly urlText: string;
  readonly methodText: string;
  readonly headersText: string;
  readonly via: Via;
  readonly model: RouteModel | null;
  readonly errors: Readonly<Partial<Record<RouteField, string>>>;
  readonly yamlProblems: readonly YamlProblem[];
  readonly warnings: readonly string[];
  readonly decision: RouteDecision | null;
  /** The same request under `model`, when one is chosen. */
  readonly wrong: RouteDecision | null;
  /** Changes counted, so the live region can say each new result. */
  readonly revision: number;
  /** The YAML parser, once loaded. */
  readonly parser: L7Parser | null;
  /** True while edited YAML waits for the parser to load. */
  readonly needsParser: boolean;
  /** What the link that opened the lab carried and the lab could not use; null when nothing. */
  readonly linkError: string | null;
}

export type RouteMatcherEvent =
  | { type: "CHANGE"; field: "yaml" | "url" | "method" | "headers"; text: string }
  | { type: "SET_VIA"; via: Via }
  | { type: "SET_MODEL"; model: RouteModel | null }
  | { type: "PRESET"; id: string }
  | { type: "PARSER_READY"; parser: L7Parser }
  | { type: "PARSER_FAILED"; message: string }
  | { type: "LOAD_STATE"; link: RouteLink };

/**
 * What a link may carry (`route.preset`, `route.in`, `route.url`, `route.method`, `route.headers`, `route.via`,
 * `route.model`), each as the address bar spells it; null when absent. `in` is the pasted YAML, encoded by
 * `encodeLabInput({ yaml })`.
 */
export interface RouteLink {
  readonly preset: string | null;
  readonly input: string | null;
  readonly url: string | null;
  readonly method: string | null;
  readonly headers: string | null;
  readonly via: string | null;
  readonly model: string | null;
}

/** The link keys the route matcher reads, as `RouteLink` names them in the address bar. */
export const ROUTE_LINK_KEYS = ["preset", "in", "url", "method", "headers", "via", "model"] as const;

/** The link that reopens this state: a preset by name, pasted YAML encoded; fields equal to the preset's left out. */
export function routeLinkOf(c: Pick<RouteMatcherContext, keyof Texts>): Record<string, string> {
  const preset = ROUTE_PRESETS.find((p) => p.id === c.presetId);
  const out: Record<string, string> = {};
  if (preset !== undefined && preset.yaml === c.yamlText) out.preset = preset.id;
  else out.in = encodeLabInput({ yaml: c.yamlText });
  if (c.urlText !== preset?.url) out.url = c.urlText;
  if (c.methodText !== preset?.method) out.method = c.methodText;
  if (c.headersText !== (preset?.headers ?? "")) out.headers = c.headersText;
  if (c.via !== "auto") out.via = c.via;
  if (c.model !== null) out.model = c.model;
  return out;
}

type Texts = Pick<RouteMatcherContext, "presetId" | "yamlText" | "urlText" | "methodText" | "headersText" | "via" | "model">;

/** `Name: value` lines → the CLI's `NAME:VALUE` form; blank lines skipped. */
function headerLines(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

interface ProblemList {
  readonly problems: readonly { line: number; column: number; path: string; message: string }[];
}

function evaluate(t: Texts, parser: L7Parser | null): Omit<RouteMatcherContext, keyof Texts | "revision" | "parser" | "linkError"> {
  const errors: Partial<Record<RouteField, string>> = {};
  let yamlProblems: YamlProblem[] = [];
  let objects: L7Objects | null = null;
  const preset = ROUTE_PRESETS.find((p) => p.id === t.presetId);
  const needsParser = !(preset !== undefined && preset.yaml === t.yamlText) && parser === null;
  try {
    if (preset !== undefined && preset.yaml === t.yamlText) objects = PRESET_OBJECTS[preset.id] ?? null;
    else if (parser !== null) objects = parser(t.yamlText);
  } catch (error) {
    if (error instanceof Error && error.name === "ManifestError") {
      yamlProblems = (error as unknown as ProblemList).problems.map((p) => ({ line: p.line, column: p.column, message: p.path ? `${p.path}: ${p.message}` : p.message }));
      errors.yaml = `${yamlProblems.length} problem${yamlProblems.length === 1 ? "" : "s"} in the YAML: ${yamlProblems.map((p) => `line ${p.line}: ${p.message}`).join("; ")}`;
    } else if (error instanceof InputError) errors.yaml = error.message;
    else throw error;
  }
  const url = attempt(() => parseRouteRequest(t.urlText));
  if (!url.ok) errors.url = url.error.reason;
  const method = attempt(() => parseRouteRequest("http://x.test/", { method: t.methodText }));
  if (!method.ok) errors.method = method.error.reason;
  const headers = attempt(() => parseRouteRequest("http://x.test/", { headers: headerLines(t.headersText) }));
  if (!headers.ok) errors.headers = `${headers.error.input}: ${headers.error.reason}`;
  let request: RouteRequest | null = null;
  if (url.ok && method.ok && headers.ok) request = parseRouteRequest(t.urlText, { method: t.methodText, headers: headerLines(t.headersText) });
  let decision: RouteDecision | null = null;
  let wrong: RouteDecision | null = null;
  if (objects !== null && request !== null) {
    const via = t.via === "auto" ? undefined : t.via;
    const run = attempt(() => routeObjects(objects, request, { via }));
    if (run.ok) {
      decision = run.value;
      if (t.model !== null) wrong = routeObjects(objects, request, { via, model: t.model });
    } else if (run.error.input.startsWith("--via")) errors.via = run.error.reason.replace(/with --via ingress or --via gateway/, "with the front-door choice");
    else errors.yaml = run.error.reason;
  }
  return { errors, yamlProblems, warnings: objects?.warnings ?? [], decision, wrong, needsParser };
}

export interface RouteMatcherInput {
  readonly preset?: string;
  /** A parser given up front (tests, the CLI); the island loads it on the first YAML edit instead. */
  readonly parser?: L7Parser;
}

function presetTexts(id: string): Texts | null {
  const p = ROUTE_PRESETS.find((x) => x.id === id);
  return p === undefined ? null : { presetId: p.id, yamlText: p.yaml, urlText: p.url, methodText: p.method, headersText: p.headers, via: "auto", model: null };
}

export const routeMatcherMachine = setup({
  types: {
    context: {} as RouteMatcherContext,
    events: {} as RouteMatcherEvent,
    input: {} as RouteMatcherInput,
  },
  actions: {
    change: assign(({ context, event }) => {
      if (event.type !== "CHANGE") return {};
      const key = ({ yaml: "yamlText", url: "urlText", method: "methodText", headers: "headersText" } as const)[event.field];
      const next: Texts = { ...context, [key]: event.text };
      return { ...next, ...evaluate(next, context.parser), revision: context.revision + 1 };
    }),
    setVia: assign(({ context, event }) => {
      if (event.type !== "SET_VIA") return {};
      const next: Texts = { ...context, via: event.via };
      return { ...next, ...evaluate(next, context.parser), revision: context.revision + 1 };
    }),
    setModel: assign(({ context, event }) => {
      if (event.type !== "SET_MODEL") return {};
      const next: Texts = { ...context, model: event.model };
      return { ...next, ...evaluate(next, context.parser), revision: context.revision + 1 };
    }),
    preset: assign(({ context, event }) => {
      if (event.type !== "PRESET") return {};
      const next = presetTexts(event.id);
      return next === null ? {} : { ...next, ...evaluate(next, context.parser), revision: context.revision + 1 };
    }),
    parserReady: assign(({ context, event }) => {
      if (event.type !== "PARSER_READY") return {};
      return { parser: event.parser, ...evaluate(context, event.parser), revision: context.revision + 1 };
    }),
    loadState: assign(({ context, event }) => {
      if (event.type !== "LOAD_STATE") return {};
      const { link } = event;
      const notes: string[] = [];
      let next: Texts = { ...context };
      if (link.preset !== null && link.input === null) {
        const found = presetTexts(link.preset);
        if (found === null) notes.push(`The link names preset "${link.preset}", which this lab does not have (${ROUTE_PRESETS.map((p) => p.id).join(", ")}); showing ${context.presetId}.`);
        else next = found;
      }
      if (link.input !== null) {
        const decoded = attempt(() => decodeLabInput(link.input!));
        const yaml = decoded.ok ? (decoded.value as { yaml?: unknown } | null)?.yaml : undefined;
        if (!decoded.ok || typeof yaml !== "string") notes.push(`The link's manifests could not be read (${decoded.ok ? "no YAML in it" : decoded.error.reason}); showing ${next.presetId}.`);
        else next = { ...next, presetId: null, yamlText: yaml };
      }
      if (link.url !== null) next = { ...next, urlText: link.url };
      if (link.method !== null) next = { ...next, methodText: link.method };
      if (link.headers !== null) next = { ...next, headersText: link.headers };
      if (link.via !== null) {
        if (link.via === "auto" || link.via === "ingress" || link.via === "gateway") next = { ...next, via: link.via };
        else notes.push(`The link's front door "${link.via}" is not one of auto, ingress, gateway; using ${next.via}.`);
      }
      if (link.model !== null) {
        if (link.model in ROUTE_MODELS) next = { ...next, model: link.model as RouteModel };
        else notes.push(`The link's wrong model "${link.model}" is not one this lab runs; showing none.`);
      }
      const result = evaluate(next, context.parser);
      // A field the link filled and the lab cannot use is said at the field and, once, at the top of the lab.
      for (const [field, given, name] of [["url", link.url, "URL"], ["method", link.method, "method"], ["headers", link.headers, "headers"]] as const) {
        if (given !== null && result.errors[field]) notes.push(`The link's ${name} is not usable: ${result.errors[field]}`);
      }
      return { ...next, ...result, revision: context.revision + 1, linkError: notes.length ? notes.join(" ") : null };
    }),
    parserFailed: assign(({ context, event }) => {
      if (event.type !== "PARSER_FAILED") return {};
      return { needsParser: false, errors: { ...context.errors, yaml: `The YAML reader did not load (${event.message}); choose a preset, or try the edit again.` } };
    }),
  },
}).createMachine({
  id: "routeMatcher",
  context: ({ input }) => {
    const texts = presetTexts(input.preset ?? "") ?? presetTexts(ROUTE_PRESETS[0]!.id)!;
    return { ...texts, ...evaluate(texts, input.parser ?? null), revision: 0, parser: input.parser ?? null, linkError: null };
  },
  on: {
    CHANGE: { actions: "change" },
    SET_VIA: { actions: "setVia" },
    SET_MODEL: { actions: "setModel" },
    PRESET: { actions: "preset" },
    PARSER_READY: { actions: "parserReady" },
    PARSER_FAILED: { actions: "parserFailed" },
    LOAD_STATE: { actions: "loadState" },
  },
});
