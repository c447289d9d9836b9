import { createActor, initialTransition, SimulatedClock, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { encodeLabInput } from "../../src/sim/core/permalink";
import {
  conntrackAtCursor, currentStep, currentSub, cursorProgress, evaluatedRows, highlightedRow, packetAtCursor, positionsOf,
  stepLabMachine, stepLabWith, tableAtCursor, type StepLabEvent,
} from "../../src/machines/step-lab.machine";
import type { Trace } from "../../src/sim/core/trace";
import type { PacketUnit } from "../../src/sim/net/packet-unit";
import { fixtureTrace, NAT_ROWS, PRESETS } from "./step-lab.fixture";

const machine = stepLabWith((_id, input, seed) => fixtureTrace(input, seed));
const start = (extra: Partial<Parameters<typeof initialTransition<typeof machine>>[1]> = {}) =>
  initialTransition(machine, { scenarioId: "clusterip", presets: PRESETS, ...extra })[0];
const run = (s: ReturnType<typeof start>, ...events: StepLabEvent[]) => {
  for (const event of events) [s] = transition(machine, s, event);
  return s;
};
const fwd = (n: number): StepLabEvent[] => Array.from({ length: n }, () => ({ type: "STEP_FORWARD" }));
const back = (n: number): StepLabEvent[] => Array.from({ length: n }, () => ({ type: "STEP_BACK" }));

describe("step lab machine", () => {
  it("opens paused on the first position of the default preset", () => {
    const s = start();
    expect(s.value).toBe("paused");
    expect(s.context.preset).toBe("default");
    expect(s.context.stepId).toBe("client");
    expect(s.context.sub).toBeNull();
    expect(s.context.errors).toEqual({});
    expect(cursorProgress(s.context)).toMatchObject({ index: 1, atStart: true, atEnd: false });
  });

  it("steps into a step's sub-steps and across the boundary, forward and back", () => {
    let s = run(start(), ...fwd(1));
    expect(s.context).toMatchObject({ stepId: "netfilter-request", sub: 0 });
    expect(currentSub(s.context)!.kind).toBe("conntrack");
    // Sub-step 5 is the KUBE-SERVICES rule for my-server: the highlighted row is its line in iptables-save.
    s = run(s, ...fwd(5));
    expect(s.context.sub).toBe(5);
    expect(highlightedRow(s.context)).toMatchObject({ table: { id: "nat" }, row: 25 });
    expect(NAT_ROWS[25]).toContain("-j KUBE-SVC-V2OKYYMBY3REGZOG");
    // The draw: row 28, not taken.
    s = run(s, ...fwd(3));
    expect(currentSub(s.context)).toMatchObject({ kind: "draw", taken: false });
    expect(highlightedRow(s.context)!.row).toBe(28);
    // To the last sub-step of the request step, then one more crosses into the routing step.
    const last = currentStep(s.context)!.sub.length - 1;
    s = run(s, { type: "JUMP_TO_SUB", sub: last });
    expect(highlightedRow(s.context)).toMatchObject({ table: { id: "conntrack" }, row: 1 });
    s = run(s, ...fwd(1));
    expect(s.context).toMatchObject({ stepId: "route", sub: 0 });
    expect(highlightedRow(s.context)).toMatchObject({ table: { id: "routes" }, row: 2 });
    // Back across the boundary lands on the last sub-step of the previous step, not its first.
    s = run(s, ...back(1));
    expect(s.context).toMatchObject({ stepId: "netfilter-request", sub: last });
    // Back from a step's first sub-step lands on the previous plain step.
    s = run(s, { type: "JUMP_TO_SUB", sub: 0 }, ...back(1));
    expect(s.context).toMatchObject({ stepId: "client", sub: null });
    expect(highlightedRow(s.context)).toBeNull();
  });

  it("stops at both ends", () => {
    const total = positionsOf(fixtureTrace(PRESETS.default)).length;
    let s = run(start(), ...back(3));
    expect(s.context.stepId).toBe("client");
    s = run(s, ...fwd(total + 5));
    expect(s.context).toMatchObject({ stepId: "client-reply", sub: null });
    expect(cursorProgress(s.context)).toMatchObject({ index: total, total, atEnd: true });
    s = run(s, { type: "FIRST" });
    expect(s.context.stepId).toBe("client");
    s = run(s, { type: "LAST" });
    expect(s.context.stepId).toBe("client-reply");
  });

  it("jumps to a step by its stable id and to a sub-step", () => {
    let s = run(start(), { type: "JUMP_TO_STEP", stepId: "netfilter-reply" });
    expect(s.context).toMatchObject({ stepId: "netfilter-reply", sub: 0 });
    s = run(s, { type: "JUMP_TO_SUB", sub: 1 });
    expect(currentSub(s.context)!.label).toBe("reverse DNAT");
    s = run(s, { type: "JUMP_TO_STEP", stepId: "nowhere" });
    expect(s.context).toMatchObject({ stepId: "netfilter-reply", sub: 1 });
    s = run(s, { type: "JUMP_TO_SUB", stepId: "netfilter-request", sub: 99 });
    expect(s.context.sub).toBe(currentStep(s.context)!.sub.length - 1);
  });

  it("shows the packet before and after each translation", () => {
    let s = run(start(), { type: "JUMP_TO_STEP", stepId: "netfilter-request" });
    const dnat = currentStep(s.context)!.sub.findIndex((x) => x.kind === "dnat");
    s = run(s, { type: "JUMP_TO_SUB", sub: dnat });
    const { before, after } = packetAtCursor(s.context) as { before: PacketUnit; after: PacketUnit };
    expect([before.dst, before.dstPort]).toEqual(["10.96.0.15", 80]);
    expect([after.dst, after.dstPort]).toEqual(["10.4.3.4", 8080]);
    expect(before.ctstate).toBe("NEW"); // set by the conntrack sub-step earlier in the step
    // A plain step: its in and out.
    s = run(s, { type: "JUMP_TO_STEP", stepId: "server" });
    const server = packetAtCursor(s.context) as { before: PacketUnit; after: PacketUnit };
    expect(server.after.payload).toBe("SYN-ACK");
    // The reply's reversal.
    s = run(s, { type: "JUMP_TO_STEP", stepId: "netfilter-reply" }, ...fwd(1));
    const reply = packetAtCursor(s.context) as { before: PacketUnit; after: PacketUnit };
    expect([reply.before.src, reply.after.src, reply.after.srcPort]).toEqual(["10.4.3.4", "10.96.0.15", 80]);
  });

  it("keeps the conntrack table as it stands at the cursor", () => {
    let s = start();
    // Before the walk: only the unrelated DNS entry.
    expect(conntrackAtCursor(s.context)!.rows.map((r) => r.row)).toEqual([0]);
    s = run(s, { type: "JUMP_TO_STEP", stepId: "route" });
    expect(conntrackAtCursor(s.context)!.rows.map((r) => r.row)).toEqual([0, 1]);
    expect(conntrackAtCursor(s.context)!.rows[1]!.text).toContain("[UNREPLIED]");
    s = run(s, { type: "JUMP_TO_STEP", stepId: "netfilter-reply" });
    const rows = conntrackAtCursor(s.context)!.rows;
    // The reply replaces the UNREPLIED line for the same connection.
    expect(rows.map((r) => r.row)).toEqual([0, 2]);
    expect(rows[1]).toMatchObject({ current: true });
    // Stepping back brings the earlier line back.
    s = run(s, ...back(1));
    expect(conntrackAtCursor(s.context)!.rows.map((r) => r.row)).toEqual([0, 1]);
  });

  it("marks the rows the walk evaluated so far, matched or not, with the reason", () => {
    let s = run(start(), { type: "JUMP_TO_STEP", stepId: "netfilter-request" });
    s = run(s, ...fwd(5));
    const rows = evaluatedRows(s.context, "nat");
    expect(rows.get(24)).toMatchObject({ taken: false, detail: expect.stringContaining("not 10.96.0.10") });
    expect(rows.get(25)).toMatchObject({ taken: true });
    expect(rows.has(28)).toBe(false);
  });

  it("counts only the kinds and the step asked for", () => {
    let s = run(start(), { type: "JUMP_TO_STEP", stepId: "netfilter-request" });
    s = run(s, ...fwd(9));
    // Jumps and chain entries point at rows too; a chain walker counts only rules tried.
    expect([...evaluatedRows(s.context, "nat").keys()].sort((a, b) => a - b)).toEqual([1, 10, 12, 13, 24, 25, 27, 28, 29]);
    expect([...evaluatedRows(s.context, "nat", { kinds: ["rule", "draw"] }).keys()].sort((a, b) => a - b)).toEqual([24, 27, 28]);
    expect(evaluatedRows(s.context, "nat", { stepId: "netfilter-reply" }).size).toBe(0);
  });

  it("finds the table the cursor is reading: this step's, else the last one walked, else the next", () => {
    const isRoutes = (t: { id: string }) => t.id === "routes";
    let s = start();
    expect(tableAtCursor(s.context, isRoutes)).toMatchObject({ table: { id: "routes" }, stepId: "route" });
    s = run(s, { type: "JUMP_TO_STEP", stepId: "server" });
    expect(tableAtCursor(s.context, isRoutes)!.stepId).toBe("route");
    expect(tableAtCursor(s.context, (t) => t.id === "nowhere")).toBeNull();
  });

  it("shows a conntrack table no sub-step refers to from the moment its entry is confirmed", () => {
    // The real in-cluster traces list their conntrack table on the step but point no sub-step at it.
    const unreferenced = (_id: string, input: unknown, seed: number): Trace => {
      const trace = fixtureTrace(input, seed);
      return {
        ...trace,
        steps: trace.steps.map((step) => ({
          ...step,
          sub: step.sub.map((sub) => {
            if (sub.ref?.table !== "conntrack") return sub;
            const { ref: _ref, ...rest } = sub;
            return { ...rest, label: sub.label.replace("entry confirmed", "confirm") };
          }),
        })),
        tables: trace.tables.map((t) => (t.id === "conntrack" ? { ...t, rows: t.rows.slice(1, 2) } : t)),
      };
    };
    const m = stepLabWith(unreferenced);
    let [s] = initialTransition(m, { scenarioId: "clusterip", presets: PRESETS });
    const go = (...events: StepLabEvent[]) => {
      for (const event of events) [s] = transition(m, s, event);
    };
    expect(conntrackAtCursor(s.context)!.rows).toEqual([]);
    go({ type: "JUMP_TO_STEP", stepId: "netfilter-request" });
    const confirm = currentStep(s.context)!.sub.findIndex((x) => x.kind === "conntrack" && /confirm/.test(x.label));
    go({ type: "JUMP_TO_SUB", sub: confirm - 1 });
    expect(conntrackAtCursor(s.context)!.rows).toEqual([]);
    go(...fwd(1));
    expect(conntrackAtCursor(s.context)!.rows).toEqual([{ row: 0, text: expect.stringContaining("[UNREPLIED]"), current: true }]);
    go(...fwd(1));
    expect(conntrackAtCursor(s.context)!.rows).toEqual([{ row: 0, text: expect.any(String), current: false }]);
  });

  it("recomputes on a preset change and keeps the cursor on the same step id", () => {
    let s = run(start(), { type: "JUMP_TO_STEP", stepId: "netfilter-request" }, { type: "JUMP_TO_SUB", sub: 3 });
    s = run(s, { type: "SET_INPUT", preset: "hairpin" });
    expect(s.context.preset).toBe("hairpin");
    expect(s.context.trace!.input).toEqual({ client: "hairpin" });
    expect(s.context).toMatchObject({ stepId: "netfilter-request", sub: 3 });
    // The step "route" does not exist in the hairpin walk: the cursor goes to the start.
    s = run(s, { type: "SET_INPUT", preset: "default" }, { type: "JUMP_TO_STEP", stepId: "route" }, { type: "SET_INPUT", preset: "hairpin" });
    expect(s.context).toMatchObject({ stepId: "client", sub: null });
    // The hairpin walk masquerades: a sub-step rewrites the source.
    s = run(s, { type: "JUMP_TO_STEP", stepId: "netfilter-request" });
    const snat = currentStep(s.context)!.sub.findIndex((x) => x.kind === "snat");
    s = run(s, { type: "JUMP_TO_SUB", sub: snat });
    expect((packetAtCursor(s.context).after as PacketUnit).src).toBe("10.4.3.1");
  });

  it("keeps errors per field, never throws, and keeps the last good trace", () => {
    let s = start();
    const good = s.context.trace;
    s = run(s, { type: "SET_INPUT", field: "client", value: "martian" });
    expect(s.context.trace).toBe(good);
    expect(s.context.errors).toEqual({ client: expect.stringContaining('must be one of "other-pod", "hairpin"') });
    expect(s.context.input).toEqual({ client: "martian" });
    s = run(s, { type: "SET_INPUT", preset: "nope" });
    expect(Object.keys(s.context.errors).sort()).toEqual(["client", "preset"]);
    expect(s.context.trace).toBe(good);
    // A valid input clears them all.
    s = run(s, { type: "SET_INPUT", field: "client", value: "hairpin" });
    expect(s.context.errors).toEqual({});
    expect(s.context.preset).toBeNull();
    expect(s.context.trace!.input).toEqual({ client: "hairpin" });
  });

  it("reports a missing implementation as an error rather than throwing", () => {
    const [s] = initialTransition(stepLabMachine, { scenarioId: "clusterip", presets: PRESETS });
    expect(s.context.trace).toBeNull();
    expect(s.context.errors.input).toMatch(/No trace implementation/);
  });

  it("opens a permalink: preset and step; a broken one keeps the lab working", () => {
    let s = run(start(), { type: "LOAD_STATE", preset: "hairpin", stepId: "netfilter-request", sub: 4, services: 10000 });
    expect(s.context).toMatchObject({ preset: "hairpin", stepId: "netfilter-request", sub: 4, services: 10000, errors: {} });
    s = run(start(), { type: "LOAD_STATE", preset: "atlantis", stepId: "bridge" });
    expect(s.context.preset).toBe("default");
    expect(s.context.errors.link).toMatch(/preset "atlantis"/);
    expect(s.context.errors.link).toMatch(/step "bridge"/);
    expect(s.context.stepId).toBe("client");
    s = run(s, ...fwd(1));
    expect(s.context.stepId).toBe("netfilter-request");
    // An encoded input, and one cut short.
    s = run(start(), { type: "LOAD_STATE", input: encodeLabInput({ client: "hairpin" }), stepId: "bridge" });
    expect(s.context).toMatchObject({ stepId: "bridge", errors: {} });
    s = run(start(), { type: "LOAD_STATE", input: "1.N4Ig" });
    expect(s.context.errors.link).toMatch(/cut short|damaged/);
    s = run(start(), { type: "LOAD_STATE", input: encodeLabInput({ client: "martian" }) });
    expect(s.context.errors.link).toMatch(/kept its settings/);
    expect(s.context.input).toEqual({ client: "other-pod" });
    // The learner's next change clears the link's note.
    s = run(s, { type: "SET_INPUT", preset: "hairpin" });
    expect(s.context.errors).toEqual({});
  });

  it("opens a permalink at its seed, and keeps working when the seed is bad", () => {
    let s = run(start(), { type: "LOAD_STATE", preset: "hairpin", seed: "4096", stepId: "netfilter-request", sub: 2 });
    expect(s.context).toMatchObject({ preset: "hairpin", seed: 4096, stepId: "netfilter-request", sub: 2, errors: {} });
    expect(s.context.trace!.seed).toBe(4096);
    expect(s.context.applied).toMatchObject({ seed: 4096 });
    // A seed alone recomputes the preset on screen; a number is taken as well as text.
    s = run(start(), { type: "LOAD_STATE", seed: 7 });
    expect(s.context).toMatchObject({ preset: "default", seed: 7, errors: {} });
    expect(s.context.trace!.seed).toBe(7);
    for (const bad of ["-1", "1.5", "4294967296", "seven", "0x10"]) {
      s = run(start(), { type: "LOAD_STATE", preset: "hairpin", seed: bad, stepId: "netfilter-request" });
      // The rest of the link is used; the seed stays 0 and the note says why.
      expect(s.context, bad).toMatchObject({ preset: "hairpin", seed: 0, stepId: "netfilter-request" });
      expect(s.context.trace!.seed).toBe(0);
      expect(s.context.errors.link, bad).toContain(`seed "${bad}"`);
      expect(s.context.errors.link, bad).toContain("a seed is a whole number from 0 to 4294967295");
    }
    // The learner's next change clears the note; the lab still computes.
    s = run(s, { type: "SET_SEED", seed: 2 });
    expect(s.context.errors).toEqual({});
    expect(s.context.trace!.seed).toBe(2);
    // A link whose input fails keeps the seed the lab had, with the trace.
    s = run(start({ seed: 5 }), { type: "LOAD_STATE", input: encodeLabInput({ client: "martian" }), seed: "9" });
    expect(s.context.seed).toBe(5);
    expect(s.context.trace!.seed).toBe(5);
    expect(s.context.errors.link).toMatch(/kept its settings/);
  });

  it("resets to the opening preset at the start", () => {
    let s = run(start(), { type: "SET_INPUT", preset: "hairpin" }, ...fwd(4), { type: "RESET" });
    expect(s.context).toMatchObject({ preset: "default", stepId: "client", sub: null });
    expect(s.context.trace!.input).toEqual({ client: "other-pod" });
  });

  it("plays to the end one tick at a time, and pauses", () => {
    const clock = new SimulatedClock();
    const actor = createActor(machine, { input: { scenarioId: "clusterip", presets: PRESETS, tickMs: 100 }, clock }).start();
    actor.send({ type: "PLAY" });
    expect(actor.getSnapshot().hasTag("playing")).toBe(true);
    clock.increment(100);
    expect(actor.getSnapshot().context.stepId).toBe("netfilter-request");
    clock.increment(100);
    clock.increment(100);
    expect(actor.getSnapshot().context.sub).toBe(2);
    actor.send({ type: "PAUSE" });
    clock.increment(1000);
    expect(actor.getSnapshot().context.sub).toBe(2);
    actor.send({ type: "PLAY" });
    for (let i = 0; i < 60; i++) clock.increment(100);
    expect(actor.getSnapshot().value).toBe("paused");
    expect(cursorProgress(actor.getSnapshot().context).atEnd).toBe(true);
    actor.stop();
  });
});
