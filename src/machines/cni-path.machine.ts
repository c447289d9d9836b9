import { moveStep, type StepMove } from "./step-moves";
import { assign, setup } from "xstate";
// Straight from the module, not a barrel: the lesson page loads this machine up front.
import { CNI_ALIASES, CNI_IDS, CNI_OVERLAYS, OVERLAYS, PATH_KINDS, cniPath, type CniId, type CniPath, type Overlay, type PathKind } from "../sim/kube/cni/path";

/**
 * The CNI path stepper: choose a CNI, a path (same node, across nodes, from a hostNetwork Pod, between
 * two containers of one Pod) and, where the CNI has one, an overlay; step through the hops `cniPath`
 * computes. A link's values arrive with LOAD_LINK: each bad one is named in `linkError` and left at
 * its default, and the lab keeps working.
 */
export interface CniPathContext {
  readonly cni: CniId;
  readonly path: PathKind;
  readonly overlay: Overlay;
  readonly result: CniPath;
  /** The hop on show, 0-based. */
  readonly step: number;
  /** What was wrong with the link the lab was opened from, or null. */
  readonly linkError: string | null;
}

export type CniPathEvent =
  | { type: "SET_CNI"; cni: string }
  | { type: "SET_PATH"; path: string }
  | { type: "SET_OVERLAY"; overlay: string }
  | StepMove
  | { type: "LOAD_LINK"; cni?: string; path?: string; overlay?: string; step?: string };

export interface CniPathInput {
  readonly cni?: CniId;
  readonly path?: PathKind;
  readonly overlay?: Overlay;
}

const isCni = (v: string): v is CniId => (CNI_IDS as readonly string[]).includes(v);
const isPath = (v: string): v is PathKind => (PATH_KINDS as readonly string[]).includes(v);
const isOverlay = (v: string): v is Overlay => (OVERLAYS as readonly string[]).includes(v);

function build(cni: CniId, path: PathKind, overlay: Overlay): Pick<CniPathContext, "cni" | "path" | "overlay" | "result" | "step"> {
  const o = CNI_OVERLAYS[cni].includes(overlay) ? overlay : CNI_OVERLAYS[cni][0]!;
  return { cni, path, overlay: o, result: cniPath({ cni, path, overlay: o }), step: 0 };
}

/** Applies a link's values in order (CNI, path, overlay, step), collecting a message for each bad one. */
function fromLink(c: CniPathContext, e: Extract<CniPathEvent, { type: "LOAD_LINK" }>): Partial<CniPathContext> {
  const problems: string[] = [];
  let cni = c.cni;
  let overlay = c.overlay;
  let path = c.path;
  if (e.cni !== undefined) {
    const t = e.cni.trim().toLowerCase();
    const alias = CNI_ALIASES[t];
    if (alias) ({ cni, overlay } = alias);
    else if (isCni(t)) cni = t;
    else problems.push(`the CNI “${e.cni.slice(0, 40)}” is not one of ${[...CNI_IDS, ...Object.keys(CNI_ALIASES)].join(", ")}`);
  }
  if (e.path !== undefined) {
    const t = e.path.trim().toLowerCase();
    if (isPath(t)) path = t;
    else problems.push(`the path “${e.path.slice(0, 40)}” is not one of ${PATH_KINDS.join(", ")}`);
  }
  if (e.overlay !== undefined) {
    const t = e.overlay.trim().toLowerCase();
    if (isOverlay(t) && CNI_OVERLAYS[cni].includes(t)) overlay = t;
    else problems.push(`the overlay “${e.overlay.slice(0, 40)}” is not one ${cni} runs (${CNI_OVERLAYS[cni].join(", ")})`);
  }
  const next = build(cni, path, overlay);
  let step = 0;
  if (e.step !== undefined) {
    const at = next.result.hops.findIndex((h) => h.id === e.step!.trim());
    if (at >= 0) step = at;
    else problems.push(`the step “${e.step.slice(0, 40)}” is not on this path (${next.result.hops.map((h) => h.id).join(", ")})`);
  }
  return { ...next, step, linkError: problems.length ? `The link could not be followed exactly: ${problems.join("; ")}. The lab opened on the rest.` : null };
}

export const cniPathMachine = setup({
  types: {
    context: {} as CniPathContext,
    events: {} as CniPathEvent,
    input: {} as CniPathInput,
  },
  actions: {
    apply: assign(({ context, event }) => {
      const last = context.result.hops.length - 1;
      switch (event.type) {
        case "SET_CNI": return isCni(event.cni) ? build(event.cni, context.path, context.overlay) : {};
        case "SET_PATH": return isPath(event.path) ? build(context.cni, event.path, context.overlay) : {};
        case "SET_OVERLAY": return isOverlay(event.overlay) && CNI_OVERLAYS[context.cni].includes(event.overlay) ? build(context.cni, context.path, event.overlay) : {};
        case "LOAD_LINK": return fromLink(context, event);
        case "NEXT":
        case "PREV":
        case "FIRST":
        case "LAST":
        case "GOTO": return { step: moveStep(event, context.step, last) };
      }
    }),
  },
}).createMachine({
  id: "cniPath",
  context: ({ input }) => ({ ...build(input.cni ?? "gke-legacy", input.path ?? "cross-node", input.overlay ?? "none"), linkError: null }),
  on: { "*": { actions: "apply" } },
});
