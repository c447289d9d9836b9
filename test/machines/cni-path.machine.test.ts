import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { cniPathMachine, type CniPathEvent, type CniPathInput } from "../../src/machines/cni-path.machine";

const start = (input: CniPathInput = {}) => initialTransition(cniPathMachine, input)[0];
const send = (s: ReturnType<typeof start>, ...events: CniPathEvent[]) => events.reduce((acc, e) => transition(cniPathMachine, acc, e)[0], s);
const hop = (s: ReturnType<typeof start>) => s.context.result.hops[s.context.step]!;

describe("CNI path stepper machine", () => {
  it("starts on GKE's own CNI, across nodes, at the first hop", () => {
    const s = start();
    expect([s.context.cni, s.context.path, s.context.overlay, s.context.step]).toEqual(["gke-legacy", "cross-node", "none", 0]);
    expect(hop(s).id).toBe("pod-send");
  });

  it("steps forward and back within the path, clamped at both ends", () => {
    let s = send(start(), { type: "NEXT" }, { type: "NEXT" });
    expect(hop(s).id).toBe("root-route");
    s = send(s, { type: "LAST" }, { type: "NEXT" });
    expect(s.context.step).toBe(s.context.result.hops.length - 1);
    s = send(s, { type: "FIRST" }, { type: "PREV" });
    expect(s.context.step).toBe(0);
    s = send(s, { type: "GOTO", step: 99 });
    expect(hop(s).id).toBe("pod-receive");
  });

  it("choosing a CNI keeps the path and drops an overlay the new CNI does not run; choosing anything restarts at hop 1", () => {
    let s = send(start(), { type: "SET_CNI", cni: "calico" }, { type: "SET_OVERLAY", overlay: "vxlan" }, { type: "NEXT" });
    expect(s.context.result.hops.some((h) => h.kind === "encap")).toBe(true);
    s = send(s, { type: "SET_CNI", cni: "kubenet" });
    expect([s.context.overlay, s.context.step, s.context.path]).toEqual(["none", 0, "cross-node"]);
    s = send(s, { type: "SET_OVERLAY", overlay: "vxlan" });
    expect(s.context.overlay).toBe("none");
    s = send(s, { type: "SET_PATH", path: "same-node" });
    expect(s.context.result.hops.map((h) => h.kind)).toContain("bridge");
  });

  it("a link opens its CNI, path, overlay and step", () => {
    const s = send(start(), { type: "LOAD_LINK", cni: "dataplane-v2", path: "cross-node", overlay: "geneve", step: "encap" });
    expect([s.context.cni, s.context.overlay, hop(s).id, s.context.linkError]).toEqual(["dataplane-v2", "geneve", "encap", null]);
    const alias = send(start(), { type: "LOAD_LINK", cni: "calico-ipip" });
    expect([alias.context.cni, alias.context.overlay]).toEqual(["calico", "ipip"]);
  });

  it("a bad link value is named in linkError; the good ones still apply", () => {
    const s = send(start(), { type: "LOAD_LINK", cni: "weave", path: "same-node", step: "nowhere" });
    expect(s.context.path).toBe("same-node");
    expect(s.context.cni).toBe("gke-legacy");
    expect(s.context.linkError).toMatch(/weave/);
    expect(s.context.linkError).toMatch(/nowhere/);
    const o = send(start(), { type: "LOAD_LINK", cni: "gke-legacy", overlay: "vxlan" });
    expect(o.context.overlay).toBe("none");
    expect(o.context.linkError).toMatch(/overlay/);
    // A later good choice clears nothing by itself, but the lab keeps working.
    expect(send(o, { type: "NEXT" }).context.step).toBe(1);
  });
});
