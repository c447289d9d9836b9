import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { natLabMachine, type NatLabEvent } from "../../src/machines/nat-lab.machine";

function after(...events: NatLabEvent[]) {
  let [snapshot] = initialTransition(natLabMachine, {});
  for (const event of events) [snapshot] = transition(natLabMachine, snapshot, event);
  return snapshot.context;
}

describe("natLabMachine", () => {
  it("opens on 70 connections from a 64-port node: the 65th is the first OUT_OF_RESOURCES drop", () => {
    const c = after();
    expect(c.run?.vms[0]!.ports).toBe(64);
    expect(c.run?.firstDrop?.index).toBe(64);
    expect(c.run?.firstDrop?.drop?.reason).toBe("OUT_OF_RESOURCES");
  });

  it("raising min ports makes the same connections fit", () => {
    const c = after({ type: "CHANGE", field: "minPorts", text: "128" });
    expect(c.run?.firstDrop).toBeNull();
  });

  it("a bad value is kept at its field and the path chooser still works", () => {
    const c = after({ type: "CHANGE", field: "to", text: "8.8.8.8" }, { type: "SET_PATH", setup: { destination: "private-googleapis" } });
    expect(c.errors.to).toMatch(/IP:PORT/);
    expect(c.run).toBeNull();
    expect(c.trace.outcome).toBe("pga");
  });

  it("dynamic allocation with EIM is refused at the EIM switch; max ports without dynamic at its field", () => {
    expect(after({ type: "TOGGLE", field: "dynamic" }, { type: "TOGGLE", field: "eim" }).errors.eim).toBeTruthy();
    expect(after({ type: "CHANGE", field: "maxPorts", text: "256" }).errors.maxPorts).toMatch(/dynamic/);
  });

  it("dynamic allocation lets node-0 grow past its minimum", () => {
    const c = after({ type: "CHANGE", field: "minPorts", text: "32" }, { type: "TOGGLE", field: "dynamic" }, { type: "CHANGE", field: "maxPorts", text: "128" });
    expect(c.errors).toEqual({});
    expect(c.run?.vms[0]!.ports).toBe(128);
    expect(c.run?.firstDrop).toBeNull();
  });

  it("no PGA and no NAT: a Google API times out; an unsolicited inbound packet is dropped", () => {
    expect(after({ type: "SET_PATH", setup: { destination: "googleapis", pga: false, nat: "none" } }).trace.outcome).toBe("no-route");
    expect(after({ type: "INBOUND", on: true }).trace.outcome).toBe("dropped-inbound");
  });

  it("a link with an unknown preset or key says so and keeps working", () => {
    const c = after({ type: "LOAD", preset: "nope", ignored: ["step"] });
    expect(c.linkError).toMatch(/preset/);
    expect(c.linkError).toMatch(/step/);
    expect(c.run).not.toBeNull();
    expect(after({ type: "LOAD", preset: "full" }).run?.vms[1008]!.ports).toBe(0);
  });
});
