import { assign, setup } from "xstate";
// Straight from the module, not a barrel: the lesson page loads this machine up front.
import { planClusterFields, type Plan, type PlanField } from "../sim/kube/plan/plan";

/**
 * The address planner: a VPC-native cluster's Pod range, max Pods per node, node subnet and Service
 * range. Each field keeps its own text and its own message — a malformed value, or the reason GKE
 * would refuse the plan, shown at the field to change — and the rest of the plan keeps working.
 */
export type PlannerField = PlanField;

export interface AddressPlannerContext {
  readonly texts: Readonly<Record<PlannerField, string>>;
  readonly errors: Readonly<Partial<Record<PlannerField, string>>>;
  /** The plan, refused or not; null while the Pod range or max Pods cannot be read. */
  readonly plan: Plan | null;
  /** What was wrong with the link the lab was opened from (an unknown preset), or null. */
  readonly linkError: string | null;
}

export type AddressPlannerEvent =
  | { type: "CHANGE"; field: PlannerField; text: string }
  | { type: "LOAD"; preset?: string; texts?: Partial<Record<PlannerField, string>>; ignored?: readonly string[] };

/** Named starting points, for the lesson and for question links (`planner.preset=NAME`). */
export const PLANNER_PRESETS: Readonly<Record<string, Readonly<Record<PlannerField, string>>>> = {
  default: { podRange: "10.4.0.0/14", maxPods: "110", nodeRange: "10.128.0.0/20", serviceRange: "10.8.0.0/20" },
  "small-subnet": { podRange: "10.4.0.0/14", maxPods: "32", nodeRange: "10.128.0.0/24", serviceRange: "10.8.0.0/20" },
  "too-small": { podRange: "10.4.0.0/25", maxPods: "110", nodeRange: "10.128.0.0/24", serviceRange: "10.8.0.0/20" },
  overlap: { podRange: "10.4.0.0/14", maxPods: "110", nodeRange: "10.128.0.0/20", serviceRange: "10.7.0.0/20" },
};

function evaluate(texts: Readonly<Record<PlannerField, string>>): Pick<AddressPlannerContext, "errors" | "plan"> {
  const { plan, inputErrors } = planClusterFields({ podRange: texts.podRange, maxPods: texts.maxPods, nodeRange: texts.nodeRange, serviceRange: texts.serviceRange });
  const errors: Partial<Record<PlannerField, string>> = {};
  for (const e of [...inputErrors, ...(plan?.problems ?? [])]) errors[e.field] ??= e.reason;
  return { errors, plan };
}

export interface AddressPlannerInput {
  readonly preset?: string;
}

export const addressPlannerMachine = setup({
  types: {
    context: {} as AddressPlannerContext,
    events: {} as AddressPlannerEvent,
    input: {} as AddressPlannerInput,
  },
  actions: {
    change: assign(({ context, event }) => {
      if (event.type !== "CHANGE") return {};
      const texts = { ...context.texts, [event.field]: event.text };
      return { texts, ...evaluate(texts), linkError: null };
    }),
    load: assign(({ context, event }) => {
      if (event.type !== "LOAD") return {};
      const known = event.preset === undefined || Object.hasOwn(PLANNER_PRESETS, event.preset);
      const base = (known && event.preset && PLANNER_PRESETS[event.preset]) || context.texts;
      const texts = { ...base, ...event.texts };
      const ignored = event.ignored?.length ? ` This lab has no ${event.ignored.join(", ")} setting; the link's value for it was ignored.` : "";
      const unknown = known ? "" : ` The link names a preset this lab does not have; it opened on the current plan. Presets: ${Object.keys(PLANNER_PRESETS).join(", ")}.`;
      const linkError = (unknown + ignored).trim() || null;
      return { texts, ...evaluate(texts), linkError };
    }),
  },
}).createMachine({
  id: "addressPlanner",
  context: ({ input }) => {
    const texts = PLANNER_PRESETS[input.preset ?? "default"] ?? PLANNER_PRESETS.default!;
    return { texts, ...evaluate(texts), linkError: null };
  },
  on: { CHANGE: { actions: "change" }, LOAD: { actions: "load" } },
});
