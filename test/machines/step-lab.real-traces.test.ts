import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import type { DecisionTable } from "../../src/sim/core/trace";
import {
  conntrackAtCursor, currentStep, currentSub, highlightedRow, packetAtCursor, positionsOf, stepLabWith, type StepLabEvent,
} from "../../src/machines/step-lab.machine";
import type { Trace } from "../../src/sim/core/trace";
import { KUBE_SCENARIOS, runKubeScenario } from "../../src/sim/kube/index";
import type { PacketUnit } from "../../src/sim/net/packet-unit";

/**
 * The step lab over the simulator's own in-cluster traces, as the lesson pages run it: what the
 * hand-written fixture cannot promise — that the walk's real wording yields a packet after every
 * decision and a row for every decision the chain walker highlights.
 */
const real = (id: string, preset: string): Trace => runKubeScenario(id, preset, 0);
const machine = stepLabWith((id, input, seed) => runKubeScenario(id, input, seed));

/** The row of `:CHAIN` inside the `*table` section of an iptables-save dump, found by reading the rows. */
function chainDeclarationRow(table: DecisionTable, tableName: string, chain: string): number | null {
  let inSection = false;
  for (let i = 0; i < table.rows.length; i++) {
    const row = table.rows[i]!;
    if (row.startsWith("*")) inSection = row.slice(1).trim() === tableName;
    else if (inSection && row.startsWith(`:${chain} `)) return i;
    else if (inSection && row === "COMMIT") inSection = false;
  }
  return null;
}
const open = (scenarioId: string, preset = "default") => {
  const scenario = KUBE_SCENARIOS.find((s) => s.id === scenarioId)!;
  return initialTransition(machine, { scenarioId, presets: scenario.presets, preset })[0];
};
const run = (s: ReturnType<typeof open>, ...events: StepLabEvent[]) => {
  for (const event of events) [s] = transition(machine, s, event);
  return s;
};
/** Steps forward until `done` holds; fails after the end of the walk. */
function forwardUntil(s: ReturnType<typeof open>, done: (s: ReturnType<typeof open>) => boolean) {
  const total = positionsOf(s.context.trace!).length;
  for (let i = 0; i < total; i++) {
    if (done(s)) return s;
    s = run(s, { type: "STEP_FORWARD" });
  }
  throw new Error("the walk ended before the expected state");
}
const after = (s: ReturnType<typeof open>) => packetAtCursor(s.context).after as PacketUnit | null;
const before = (s: ReturnType<typeof open>) => packetAtCursor(s.context).before as PacketUnit | null;

const ALL = KUBE_SCENARIOS.flatMap((scenario) => Object.keys(scenario.presets).map((preset) => [scenario.id, preset] as const));

describe("step lab on real in-cluster traces", () => {
  it.each(ALL)("%s (%s): the packet after each step's last decision is the step's output", (id, preset) => {
    const trace = real(id, preset);
    for (const step of trace.steps) {
      if (step.sub.length === 0 || !step.out) continue;
      const last = packetAtCursor({ trace, stepId: step.id, sub: step.sub.length - 1 }).after as PacketUnit;
      const tuple = (p: PacketUnit) => [p.protocol, p.src, p.srcPort, p.dst, p.dstPort];
      expect(tuple(last), step.id).toEqual(tuple(step.out as PacketUnit));
      // The packet changes at the decision that changed it, not only at the end of the step.
      const moved = step.in && tuple(step.in as PacketUnit).join() !== tuple(step.out as PacketUnit).join();
      if (moved) {
        const at = step.sub.findIndex((x) => x.unit && tuple(x.unit as PacketUnit).join() === tuple(step.out as PacketUnit).join());
        expect(["dnat", "snat", "masquerade", "conntrack"], `${step.id}: the change is made by ${step.sub[at]?.kind}`).toContain(step.sub[at]?.kind);
      }
    }
  });

  it.each(ALL)("%s (%s): every decision but routing and conntrack points at a row; hooks and policies at their chain", (id, preset) => {
    const trace = real(id, preset);
    for (const step of trace.steps) {
      const rules = trace.tables.find((t) => step.tables.includes(t.id) && t.format === "iptables-save");
      step.sub.forEach((sub, i) => {
        if (!rules || sub.kind === "route" || sub.kind === "conntrack") return;
        expect(sub.ref, `${step.id}[${i}] ${sub.kind} ${sub.label}`).toBeDefined();
        expect(sub.ref!.row).not.toBeNull();
        const row = rules.rows[sub.ref!.row!]!;
        if (sub.kind === "hook" || sub.kind === "policy") {
          const [table, chain] = sub.label.split(" ");
          expect(sub.ref!.row).toBe(chainDeclarationRow(rules, table!, chain!));
          expect(row.startsWith(`:${chain} `)).toBe(true);
        } else {
          expect(row, `${step.id}[${i}] ${sub.kind}`).toMatch(/^-A /);
        }
      });
    }
  });

  it("ClusterIP: DNAT at the DNAT decision, the entry at its confirmation, the reversal on the reply", () => {
    let s = open("clusterip-from-pod");
    s = forwardUntil(s, (x) => !!after(x) && !!before(x) && after(x)!.dst !== before(x)!.dst);
    expect(currentSub(s.context)!.kind).toBe("dnat");
    expect(highlightedRow(s.context)!.table.rows[highlightedRow(s.context)!.row!]).toMatch(/-j DNAT --to-destination/);
    expect([before(s)!.dst, before(s)!.dstPort]).toEqual(["10.96.120.15", 80]);
    expect(after(s)!.dst).toMatch(/^10\.244\./);
    expect(conntrackAtCursor(s.context)!.rows).toEqual([]);
    s = forwardUntil(s, (x) => conntrackAtCursor(x.context)!.rows.length > 0);
    expect(currentSub(s.context)).toMatchObject({ kind: "conntrack", label: "conntrack confirm" });
    expect(conntrackAtCursor(s.context)!.rows[0]).toMatchObject({ current: true, text: expect.stringContaining("[UNREPLIED]") });
    s = forwardUntil(s, (x) => currentStep(x.context)!.stage === "reply" && !!after(x) && after(x)!.src !== before(x)!.src);
    expect([after(s)!.src, after(s)!.srcPort]).toEqual(["10.96.120.15", 80]);
    expect(currentSub(s.context)!.label).toBe("conntrack translate");
  });

  it("NodePort from another node: the mark is set and cleared, masquerade rewrites the source, each node has its own conntrack", () => {
    let s = open("nodeport-from-outside", "other-node");
    s = forwardUntil(s, (x) => after(x)?.mark === "0x4000");
    expect(currentSub(s.context)!.kind).toBe("mark");
    s = forwardUntil(s, (x) => after(x)?.mark === null && before(x)?.mark === "0x4000");
    s = forwardUntil(s, (x) => currentSub(x.context)?.kind === "masquerade");
    expect(before(s)!.src).toBe("198.51.100.7");
    expect(after(s)!.src).toMatch(/^10\.0\.1\./);
    expect(conntrackAtCursor(s.context)!.table.id).toBe(`conntrack@${s.context.stepId!.replace("netfilter-", "")}`);
    s = forwardUntil(s, (x) => x.context.stepId === "netfilter-node-a" && x.context.sub === 0);
    expect(conntrackAtCursor(s.context)!.table.id).toBe("conntrack@node-a");
  });

  it("LoadBalancer Local on a node without an endpoint: the drop is where the walk stops", () => {
    const s = run(open("loadbalancer-local", "node-without-endpoint"), { type: "LAST" });
    const step = currentStep(s.context)!;
    expect(step.out).toBeNull();
    expect(s.context.trace!.outcome.status).toBe("DROP");
    const verdict = step.sub.findIndex((x) => x.kind === "verdict" && x.label === "DROP");
    expect(verdict).toBeGreaterThan(0);
    expect(step.sub[verdict]!.ref).toEqual(step.sub[verdict - 1]!.ref);
    expect(conntrackAtCursor(s.context)!.rows).toEqual([]);
  });
});
