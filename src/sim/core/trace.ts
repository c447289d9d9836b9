/**
 * The simulation core's trace: what any scenario — the edge journey, a packet inside a node, later a
 * BGP update or a certificate chain — produces for the labs, the graders and the command line.
 *
 * The core knows no module's vocabulary. Node kinds, event types and unit kinds are open strings that
 * each module (`kube/`, `netfilter/`, `edge/` …) defines and documents in its own folder; the core only
 * fixes the shape every module fills in:
 *
 * - a scenario declares its **stages** (the flagship's five legs; an in-cluster walk's own stages);
 * - a **step** is one device or decision point, with a stable `id` that answer keys, links and saved
 *   progress point at (an index would shift when a step is added);
 * - a step may carry ordered **sub-steps** (netfilter hook → chain → rule → jump → draw → DNAT), each
 *   pointing at the row of a **decision table** it was decided against (an iptables chain, later a BGP
 *   RIB or a certificate chain), so one generic table view in the UI serves every module.
 */

/** A named phase of a scenario; steps say which stage they belong to. */
export interface Stage {
  readonly id: string;
  readonly title: string;
  /** One sentence: what happens in this stage. */
  readonly summary: string;
}

/** Where a device is. Optional: a network namespace has no city, and fibre time applies only between places. */
export interface StepNode {
  readonly id: string;
  /** Open vocabulary, owned by the module that creates the node ("pod", "node-netfilter", "gfe" …). */
  readonly kind: string;
  readonly name: string;
  readonly place?: string;
}

/**
 * What a step receives and emits: a packet with its metadata, a DNS message, a BGP update … Each
 * module defines its unit kinds; the core needs only the discriminant.
 */
export interface Unit {
  readonly kind: string;
}

/** Something that happened at a step. Each module documents its own event types. */
export interface StepEvent {
  readonly type: string;
  /** One sentence for people, in the course's words. */
  readonly text: string;
}

/** A pointer into a decision table: which table, which row decided (null: the table's default, e.g. a chain policy). */
export interface TableRef {
  readonly table: string;
  readonly row: number | null;
}

/** One ordered decision inside a step, stepped through by the lab's cursor. */
export interface SubStep {
  /** Open vocabulary: "hook", "chain", "rule", "jump", "return", "policy", "draw", "dnat", "mark", "route" … */
  readonly kind: string;
  /** A short label ("nat PREROUTING", "-A KUBE-SERVICES … -j KUBE-SVC-…"). */
  readonly label: string;
  /** Why: matched, or which match failed; the probability and the draw. */
  readonly detail: string;
  /** Did this decision take effect (a rule that matched, a jump taken)? */
  readonly taken: boolean;
  readonly ref?: TableRef;
  /** The unit as it stands after this sub-step, when the sub-step changed it. */
  readonly unit?: Unit;
}

/** A table a step was decided against, rendered the way the real tool prints it. */
export interface DecisionTable {
  readonly id: string;
  readonly title: string;
  /** How to render the rows: the real tool's format ("iptables-save", "ipvsadm -Ln", "conntrack -L", "rib" …). */
  readonly format: string;
  readonly rows: readonly string[];
}

/** Modelled time to reach a step: light in fibre from the previous step's place, plus the work there. */
export interface StepTime {
  readonly ms: number;
  /** The part spent in fibre (0 at the same place). */
  readonly fibreMs: number;
}

export interface Step {
  /** Stable within a scenario: a link, an answer key or saved progress points here. */
  readonly id: string;
  readonly stage: string;
  readonly node: StepNode;
  readonly in: Unit | null;
  readonly out: Unit | null;
  readonly events: readonly StepEvent[];
  readonly sub: readonly SubStep[];
  /** Ids of the decision tables this step consulted (in `Trace.tables`). */
  readonly tables: readonly string[];
  /** Only where places are modelled (a namespace inside one node has no fibre between steps). */
  readonly time?: StepTime;
}

/** What came of the whole run, for an outcome banner: what happened and where. */
export interface Outcome {
  /** e.g. "delivered", "200 OK", "REJECT", "DROP". */
  readonly status: string;
  /** The step where it was decided. */
  readonly at: string;
  readonly summary: string;
}

export interface Trace<U extends Unit = Unit> {
  readonly scenario: string;
  /** The validated input the trace was computed from (JSON-serialisable). */
  readonly input: unknown;
  readonly seed: number;
  /** The named wrong model the trace was computed under, or null for the real behaviour. */
  readonly model: string | null;
  readonly stages: readonly Stage[];
  readonly steps: readonly (Step & { readonly in: U | null; readonly out: U | null })[];
  readonly tables: readonly DecisionTable[];
  readonly outcome: Outcome;
}

/**
 * Collects steps in order and checks what the core promises: unique step ids, known stages, and
 * tables referenced only when they exist.
 *
 * @example
 * const b = new StepBuilder(stages);
 * b.table({ id: "nat", title: "nat table", format: "iptables-save", rows });
 * b.add({ id: "client", stage: "client", node, in: null, out: pkt, events: [], sub: [], tables: [] });
 * const trace = b.build({ scenario: "clusterip", input, seed: 0, model: null, outcome });
 */
export class StepBuilder<U extends Unit = Unit> {
  private readonly steps: (Step & { in: U | null; out: U | null })[] = [];
  private readonly tables = new Map<string, DecisionTable>();
  constructor(private readonly stages: readonly Stage[]) {}

  table(table: DecisionTable): string {
    const existing = this.tables.get(table.id);
    if (existing && existing !== table) throw new Error(`decision table "${table.id}" added twice`);
    this.tables.set(table.id, table);
    return table.id;
  }

  add(step: Step & { in: U | null; out: U | null }): void {
    if (!this.stages.some((s) => s.id === step.stage)) throw new Error(`step "${step.id}": unknown stage "${step.stage}"`);
    if (this.steps.some((s) => s.id === step.id)) throw new Error(`step id "${step.id}" used twice`);
    for (const id of [...step.tables, ...step.sub.flatMap((s) => (s.ref ? [s.ref.table] : []))]) {
      if (!this.tables.has(id)) throw new Error(`step "${step.id}" refers to unknown table "${id}"`);
    }
    this.steps.push(step);
  }

  build(meta: Pick<Trace, "scenario" | "input" | "seed" | "model" | "outcome">): Trace<U> {
    if (!this.steps.some((s) => s.id === meta.outcome.at)) throw new Error(`outcome refers to unknown step "${meta.outcome.at}"`);
    return { ...meta, stages: this.stages, steps: this.steps, tables: [...this.tables.values()] };
  }
}

/**
 * The part of a trace a lab shows: the steps of the given stages and the tables they consult. The
 * stages and the outcome stay whole — the outcome may have been decided at a step outside them (a lab
 * about leg 3 still says the browser got a 502), and then `outcome.at` names a step not in `steps`.
 */
export function onlyStages<U extends Unit>(trace: Trace<U>, stageIds: readonly string[]): Trace<U> {
  if (stageIds.length === 0) return trace;
  const keep = new Set(stageIds);
  const steps = trace.steps.filter((s) => keep.has(s.stage));
  const used = new Set(steps.flatMap((s) => [...s.tables, ...s.sub.flatMap((sub) => (sub.ref ? [sub.ref.table] : []))]));
  return { ...trace, steps, tables: trace.tables.filter((t) => used.has(t.id)) };
}
