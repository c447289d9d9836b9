import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { mtuLabMachine, type MtuLabEvent } from "../../src/machines/mtu-lab.machine";

const start = (preset?: string) => initialTransition(mtuLabMachine, { preset })[0];
const send = (s: ReturnType<typeof start>, ...events: MtuLabEvent[]) => events.reduce((acc, e) => transition(mtuLabMachine, acc, e)[0], s);

describe("MTU lab machine", () => {
  it("starts on a VXLAN Pod whose MTU was left at 1460: PMTUD to 1410", () => {
    const s = start();
    expect(s.context.result.status).toBe("delivered-after-pmtud");
    expect(s.context.result.pathMtu).toBe(1410);
    expect(s.context.step).toBe(0);
  });

  it("steps forward and back within the trace", () => {
    let s = send(start(), { type: "NEXT" }, { type: "NEXT" });
    expect(s.context.result.trace.steps[s.context.step]!.id).toBe("drop:tunnel");
    s = send(s, { type: "LAST" }, { type: "NEXT" });
    expect(s.context.step).toBe(s.context.result.trace.steps.length - 1);
    s = send(s, { type: "FIRST" }, { type: "PREV" });
    expect(s.context.step).toBe(0);
  });

  it("filtering ICMP turns it into a black hole; clearing DF into fragments; the CNI's own MTU delivers", () => {
    let s = send(start(), { type: "TOGGLE", flag: "icmpFiltered" });
    expect(s.context.result.status).toBe("black-hole");
    s = send(s, { type: "TOGGLE", flag: "icmpFiltered" }, { type: "TOGGLE", flag: "df" });
    expect(s.context.result.status).toBe("delivered-fragmented");
    s = send(s, { type: "CHANGE", field: "podMtu", text: "" });
    expect(s.context.result.status).toBe("delivered");
    expect(s.context.result.podMtu).toBe(1410);
  });

  it("a bad number is reported at its field and the last trace stays", () => {
    const before = start();
    const s = send(before, { type: "CHANGE", field: "nodeMtu", text: "9000" });
    expect(s.context.errors.nodeMtu).toMatch(/1300 to 8896/);
    expect(s.context.result).toBe(before.context.result);
    const t = send(s, { type: "CHANGE", field: "nodeMtu", text: "1500" });
    expect(t.context.errors).toEqual({});
    expect(t.context.result.podMtu).toBe(1460);
  });

  it("presets: the on-prem black hole", () => {
    const s = send(start(), { type: "LOAD", preset: "on-prem-black-hole" });
    expect(s.context.result).toMatchObject({ status: "black-hole", tooBigAt: "narrow-link" });
  });
});

describe("MTU lab machine: links", () => {
  it("an unknown preset or step is reported and the lab keeps its trace", () => {
    const before = start();
    const s = send(before, { type: "LOAD", preset: "<b>x</b>" });
    expect(s.context.linkError).toMatch(/preset this lab does not have/);
    expect(s.context.result).toBe(before.context.result);
    const t = send(start(), { type: "LOAD_STEP", id: "nope" });
    expect(t.context.linkError).toMatch(/step this trace does not have/);
    const u = send(start(), { type: "LOAD_STEP", id: "pmtu" });
    expect(u.context.result.trace.steps[u.context.step]!.id).toBe("pmtu");
    expect(send(s, { type: "NEXT" }).context.step).toBe(1);
  });
});
