import { assign, setup } from "xstate";
// Straight from their modules, not a barrel: the lab page loads this machine up front.
import type { RouteDecision, RouteModel } from "../sim/kube/l7/decision";
import { PRESET_OBJECTS } from "../sim/kube/l7/preset-objects";
import { ROUTE_PRESETS } from "../sim/kube/l7/presets";
import { parseRouteRequest, type RouteRequest } from "../sim/kube/l7/request";
import { routeObjects, type L7Objects } from "../sim/kube/l7/route";
import { attempt, InputError } from "../sim/net/errors";

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
}

export type RouteMatcherEvent =
  | { type: "CHANGE"; field: "yaml" | "url" | "method" | "headers"; text: string }
  | { type: "SET_VIA"; via: Via }
  | { type: "SET_MODEL"; model: RouteModel | null }
  | { type: "PRESET"; id: string }
  | { type: "PARSER_READY"; parser: L7Parser }
  | { type: "PARSER_FAILED"; message: string };

type Texts = Pick<RouteMatcherContext, "presetId" | "yamlText" | "urlText" | "methodText" | "headersText" | "via" | "model">;

/** `Name: value` lines → the CLI's `NAME:VALUE` form; blank lines skipped. */
function headerLines(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

interface ProblemList {
  readonly problems: readonly { line: number; column: number; path: string; message: string }[];
}

function evaluate(t: Texts, parser: L7Parser | null): Omit<RouteMatcherContext, keyof Texts | "revision" | "parser"> {
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
    parserFailed: assign(({ context, event }) => {
      if (event.type !== "PARSER_FAILED") return {};
      return { needsParser: false, errors: { ...context.errors, yaml: `The YAML reader did not load (${event.message}); choose a preset, or try the edit again.` } };
    }),
  },
}).createMachine({
  id: "routeMatcher",
  context: ({ input }) => {
    const texts = presetTexts(input.preset ?? "") ?? presetTexts(ROUTE_PRESETS[0]!.id)!;
    return { ...texts, ...evaluate(texts, input.parser ?? null), revision: 0, parser: input.parser ?? null };
  },
  on: {
    CHANGE: { actions: "change" },
    SET_VIA: { actions: "setVia" },
    SET_MODEL: { actions: "setModel" },
    PRESET: { actions: "preset" },
    PARSER_READY: { actions: "parserReady" },
    PARSER_FAILED: { actions: "parserFailed" },
  },
});
