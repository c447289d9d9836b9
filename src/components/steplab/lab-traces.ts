import type { DecisionTable, Trace } from "../../sim/core/trace";

/** The views a step lab offers (see `StepLab`'s `view`). */
export type LabView = "nat" | "chain";

/** The NAT view prints only connection-tracking tables (`conntrackAtCursor`); the rules are the chain walker's. */
const drawnByNatView = (table: DecisionTable) => table.format.startsWith("conntrack");

/**
 * A trace as an island is handed it at build time, inlined in the page's HTML — so only what the
 * lab's view can show. The input the trace was computed from (a whole manifest) is dropped: the lab
 * names its preset and never prints it. The NAT view also keeps only the conntrack tables it prints:
 * `iptables-save`, `ipvsadm -Ln` and the eBPF maps (most of a trace's weight) are the chain walker's,
 * which keeps every table. A trace computed later in the browser is whole; the views draw both alike
 * (test/components/lab-traces.test.ts renders every position of every lab both ways).
 */
export function traceForView(trace: Trace, view: LabView): Trace {
  return { ...trace, input: null, tables: view === "nat" ? trace.tables.filter(drawnByNatView) : trace.tables };
}
