import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { bgpLabMachine, bgpLabView, type BgpLabEvent, type BgpLabInput } from "../../src/machines/bgp-lab.machine";

const start = (input: BgpLabInput = {}) => initialTransition(bgpLabMachine, input)[0];
type Snap = ReturnType<typeof start>;
const send = (s: Snap, ...events: BgpLabEvent[]) => events.reduce((acc, e) => transition(bgpLabMachine, acc, e)[0], s);

describe("BGP lab machine", () => {
  it("starts at Lumen's Madrid router with Cloudflare's prefix: hot potato decides, and the FIB follows", () => {
    const s = start();
    const v = bgpLabView(s.context);
    expect(s.context.router).toBe("3356@madrid");
    expect(v.decision.decidedBy).toBe("igp-cost");
    expect(v.totalSteps).toBe(v.decision.steps.length + v.fib!.checks.length);
    expect(v.path!.deliveredAt).toBe("13335@london");
  });

  it("steps through the rules, then the FIB entries, and stops at both ends", () => {
    let s = start();
    const total = bgpLabView(s.context).totalSteps;
    s = send(s, { type: "STEP_BACK" });
    expect(s.context.step).toBe(0);
    for (let i = 1; i <= total + 2; i++) s = send(s, { type: "STEP_FORWARD" });
    expect(s.context.step).toBe(total);
    expect(send(s, { type: "STEP_RESET" }).context.step).toBe(0);
    expect(send(start(), { type: "STEP_END" }).context.step).toBe(total);
  });

  it("withdrawing Paris moves the Paris user elsewhere; restoring it brings it back", () => {
    const paris = (s: Snap) => bgpLabView(s.context).anycast.find((o) => o.city === "paris")!;
    let s = start();
    expect(paris(s)).toMatchObject({ reached: "paris", agrees: true });
    s = send(s, { type: "TOGGLE_SITE", site: "paris" });
    expect(s.context.withdrawn.cloudflare).toEqual(["paris"]);
    expect(paris(s).reached).not.toBe("paris");
    expect(paris(s).nearest).toBe("london");
    s = send(s, { type: "TOGGLE_SITE", site: "paris" });
    expect(paris(s).reached).toBe("paris");
  });

  it("shows Madrid and Johannesburg landing away from their nearest site", () => {
    const view = bgpLabView(start().context);
    expect(view.anycast.filter((o) => !o.agrees).map((o) => o.city).sort()).toEqual(["johannesburg", "madrid"]);
  });

  it("keeps a bad address's error at the field and the rest working; a good one changes the lookup", () => {
    let s = send(start(), { type: "SET_ADDRESS", text: "104.18.32" });
    expect(s.context.addressError).toMatch(/not an IPv4 address/);
    expect(bgpLabView(s.context).fib!.address).toBe("104.18.32.7");
    s = send(s, { type: "SET_ADDRESS", text: "8.8.8.8" });
    expect(s.context.addressError).toBeNull();
    expect(bgpLabView(s.context).fib!.match).toBeNull();
    expect(bgpLabView(s.context).path!.outcome).toBe("no-route");
  });

  it("switches router and prefix, ignoring names it does not know", () => {
    let s = send(start(), { type: "SELECT_ROUTER", router: "3215@paris" }, { type: "SELECT_PREFIX", prefix: "google" });
    expect(bgpLabView(s.context).decision.decidedBy).toBe("local-pref");
    s = send(s, { type: "SELECT_ROUTER", router: "64510@paris" });
    expect(s.context.router).toBe("3215@paris");
  });

  it("applies the settings a link carries and names each bad one", () => {
    const s = send(start(), { type: "LINK", labId: "bgp", values: { router: "3215@paris", step: "1", withdrawn: "paris", preset: "x" } });
    expect(s.context).toMatchObject({ router: "3215@paris", step: 1, withdrawn: { cloudflare: ["paris"] } });
    expect(s.context.linkProblems).toEqual([expect.stringContaining("bgp.preset is not a setting of this lab")]);
    const bad = send(start(), { type: "LINK", labId: "bgp", values: { router: "<b>x</b>", step: "99", prefix: "amazon", withdrawn: "atlantis" } });
    expect(bad.context.router).toBe("3356@madrid");
    expect(bad.context.linkProblems).toHaveLength(4);
  });
});
