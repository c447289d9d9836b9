import { assign, setup } from "xstate";
// Straight from the modules, not a barrel: the lesson page loads this machine up front.
import {
  DEFAULT_INPUT, ORIGIN_CERTS, ORIGIN_LISTENERS, SSL_MODES, VISITOR_SCHEMES,
  type OriginCert, type OriginListener, type SslMode, type VisitorScheme,
} from "../sim/tls/cloudflare-ssl/inputs";
import { matrixCell, sslMatrix, type MatrixCell, type SslMatrix } from "../sim/tls/cloudflare-ssl/matrix";

/**
 * The SSL-mode matrix lab: every encryption mode against every origin certificate for one origin listener,
 * visitor scheme and Always Use HTTPS setting; one cell selected, and a cursor over that cell's trace.
 * Changing a setting recomputes the matrix and keeps the selected cell, its trace from the first step.
 */
export interface SslMatrixSettings {
  readonly listener: OriginListener;
  readonly visitor: VisitorScheme;
  readonly alwaysUseHttps: boolean;
}

/** Where the lab opens (its props, else the model's defaults): a link's missing keys and a bad link fall back here. */
export interface SslMatrixStart extends SslMatrixSettings {
  readonly mode: SslMode;
  readonly cert: OriginCert;
}

export interface SslMatrixContext {
  readonly start: SslMatrixStart;
  readonly settings: SslMatrixSettings;
  readonly matrix: SslMatrix;
  readonly mode: SslMode;
  readonly cert: OriginCert;
  /** Index of the step shown in the selected cell's trace. */
  readonly cursor: number;
  /** What a link asked for that the lab could not do, one sentence each. */
  readonly linkProblems: readonly string[];
}

export type SslMatrixEvent =
  | { type: "SET_LISTENER"; listener: OriginListener }
  | { type: "SET_VISITOR"; visitor: VisitorScheme }
  | { type: "SET_ALWAYS_HTTPS"; on: boolean }
  | { type: "SELECT"; mode: SslMode; cert: OriginCert }
  | { type: "NEXT" }
  | { type: "PREV" }
  | { type: "FIRST" }
  | { type: "LAST" }
  | { type: "GOTO"; index: number }
  /** The page URL's `<labId>.mode`, `.cert`, `.listener`, `.visitor`, `.https` and `.step` (a step id or a 1-based number). */
  | {
    type: "LOAD_STATE"; mode?: string | null; cert?: string | null; listener?: string | null;
    visitor?: string | null; https?: string | null; step?: string | null; unknownKeys?: readonly string[];
  };

export interface SslMatrixMachineInput {
  readonly mode?: SslMode;
  readonly cert?: OriginCert;
  readonly listener?: OriginListener;
  readonly visitor?: VisitorScheme;
  readonly alwaysUseHttps?: boolean;
}


const values = <T extends string>(list: readonly { value: T }[]) => list.map((c) => c.value);
const MODES = values(SSL_MODES);
const CERTS = values(ORIGIN_CERTS);
const LISTENERS = values(ORIGIN_LISTENERS);
const VISITORS = values(VISITOR_SCHEMES);

function known<T extends string>(value: string | undefined, list: readonly T[], fallback: T): T {
  return value !== undefined && (list as readonly string[]).includes(value) ? (value as T) : fallback;
}

const compute = (settings: SslMatrixSettings): SslMatrix => sslMatrix({ ...settings, host: DEFAULT_INPUT.host });

export function selectedCell(context: Pick<SslMatrixContext, "matrix" | "mode" | "cert">): MatrixCell {
  return matrixCell(context.matrix, context.mode, context.cert);
}

const stepCount = (context: SslMatrixContext) => selectedCell(context).result.steps.length;
const clamp = (context: SslMatrixContext, index: number) => Math.max(0, Math.min(stepCount(context) - 1, index));

/** A link's value as a message can quote it: short, control and bidi characters shown as `?`. */
const quote = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "?");

function opening(start: SslMatrixStart): Omit<SslMatrixContext, "linkProblems"> {
  const settings = { listener: start.listener, visitor: start.visitor, alwaysUseHttps: start.alwaysUseHttps };
  return { start, settings, matrix: compute(settings), mode: start.mode, cert: start.cert, cursor: 0 };
}

function withSettings(settings: SslMatrixSettings): Partial<SslMatrixContext> {
  return { settings, matrix: compute(settings), cursor: 0 };
}

export const sslMatrixMachine = setup({
  types: {
    context: {} as SslMatrixContext,
    events: {} as SslMatrixEvent,
    input: {} as SslMatrixMachineInput,
  },
  actions: {
    setListener: assign(({ context, event }) => (event.type === "SET_LISTENER" ? withSettings({ ...context.settings, listener: event.listener }) : {})),
    setVisitor: assign(({ context, event }) => (event.type === "SET_VISITOR" ? withSettings({ ...context.settings, visitor: event.visitor }) : {})),
    setAlwaysHttps: assign(({ context, event }) => (event.type === "SET_ALWAYS_HTTPS" ? withSettings({ ...context.settings, alwaysUseHttps: event.on }) : {})),
    select: assign(({ event }) => (event.type === "SELECT" ? { mode: event.mode, cert: event.cert, cursor: 0 } : {})),
    next: assign(({ context }) => ({ cursor: clamp(context, context.cursor + 1) })),
    prev: assign(({ context }) => ({ cursor: clamp(context, context.cursor - 1) })),
    first: assign({ cursor: 0 }),
    last: assign(({ context }) => ({ cursor: stepCount(context) - 1 })),
    goto: assign(({ context, event }) => (event.type === "GOTO" ? { cursor: clamp(context, event.index) } : {})),
    loadState: assign(({ context, event }) => {
      if (event.type !== "LOAD_STATE") return {};
      const problems: string[] = [];
      const check = (key: string, value: string | null | undefined, allowed: readonly string[]) => {
        if (value !== null && value !== undefined && !allowed.includes(value)) problems.push(`${key}=${quote(value)} is not one of ${allowed.join(", ")}`);
      };
      check("mode", event.mode, MODES);
      check("cert", event.cert, CERTS);
      check("listener", event.listener, LISTENERS);
      check("visitor", event.visitor, VISITORS);
      check("https", event.https, ["on", "off"]);
      if (problems.length > 0) {
        // A link with a bad setting opens the lab on its defaults, rather than on a half-applied guess.
        return { ...opening(context.start), linkProblems: [`The link's ${problems.join("; ")}. The lab opens on its defaults.`] };
      }
      const { start } = context;
      const settings: SslMatrixSettings = {
        listener: known(event.listener ?? undefined, LISTENERS, start.listener),
        visitor: known(event.visitor ?? undefined, VISITORS, start.visitor),
        alwaysUseHttps: event.https === "on" ? true : event.https === "off" ? false : start.alwaysUseHttps,
      };
      const base = {
        settings, matrix: compute(settings),
        mode: known(event.mode ?? undefined, MODES, start.mode),
        cert: known(event.cert ?? undefined, CERTS, start.cert),
      };
      const steps = selectedCell(base).result.steps;
      const byId = steps.findIndex((s) => s.id === event.step);
      const byNumber = /^\d+$/.test(event.step ?? "") ? Number(event.step) - 1 : -1;
      const at = byId >= 0 ? byId : byNumber >= 0 && byNumber < steps.length ? byNumber : -1;
      const notes: string[] = [];
      if (event.step && at < 0) notes.push(`The link's step=${quote(event.step)} is not a step of this cell's trace (${steps.map((s) => s.id).join(", ")}); the lab opens at its first step.`);
      if (event.unknownKeys?.length) notes.push(`The link's ${event.unknownKeys.map(quote).join(", ")} ${event.unknownKeys.length === 1 ? "is not a setting" : "are not settings"} of this lab; ignored.`);
      return { ...base, cursor: Math.max(at, 0), linkProblems: notes };
    }),
  },
}).createMachine({
  id: "sslMatrix",
  context: ({ input }) => ({
    ...opening({
      mode: known(input.mode, MODES, DEFAULT_INPUT.mode),
      cert: known(input.cert, CERTS, DEFAULT_INPUT.cert),
      listener: known(input.listener, LISTENERS, DEFAULT_INPUT.listener),
      visitor: known(input.visitor, VISITORS, DEFAULT_INPUT.visitor),
      alwaysUseHttps: input.alwaysUseHttps ?? DEFAULT_INPUT.alwaysUseHttps,
    }),
    linkProblems: [],
  }),
  on: {
    SET_LISTENER: { actions: "setListener" },
    SET_VISITOR: { actions: "setVisitor" },
    SET_ALWAYS_HTTPS: { actions: "setAlwaysHttps" },
    SELECT: { actions: "select" },
    NEXT: { actions: "next" },
    PREV: { actions: "prev" },
    FIRST: { actions: "first" },
    LAST: { actions: "last" },
    GOTO: { actions: "goto" },
    LOAD_STATE: { actions: "loadState" },
  },
});

/** The permalink parameters for a context (the component writes them; questions link with them). */
export function sslMatrixParams(context: Pick<SslMatrixContext, "mode" | "cert" | "settings">): Record<string, string> {
  return {
    mode: context.mode,
    cert: context.cert,
    listener: context.settings.listener,
    visitor: context.settings.visitor,
    https: context.settings.alwaysUseHttps ? "on" : "off",
  };
}

/** The parameters a permalink leaves out: where this lab opens. */
export function sslMatrixDefaults(context: Pick<SslMatrixContext, "start">): Record<string, string> {
  const { start } = context;
  return sslMatrixParams({ mode: start.mode, cert: start.cert, settings: start });
}
