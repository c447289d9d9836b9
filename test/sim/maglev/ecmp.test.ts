import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maglevTable } from "../../../src/sim/edge/maglev";
import { conntrackStory, ecmpNextHop, maglevForward } from "../../../src/sim/edge/maglev-ecmp";
import { hashMod, sampleFlows } from "../../../src/sim/edge/maglev-flows";

/**
 * ECMP in front of Maglev and connection tracking inside it (NSDI 2016 §2.1, §3.1, §3.3): the router
 * keeps no per-flow state; a Maglev reuses its entry; a Maglev without one agrees with the first as long
 * as the backend set has not changed.
 */
const RUNS = Number(process.env["EDGE_PROPERTY_RUNS"] ?? 200);
const FLOWS = sampleFlows(9, 400);
const MAGLEVS = ["maglev-1", "maglev-2", "maglev-3", "maglev-4"];
const GFES = ["gfe-1", "gfe-2", "gfe-3", "gfe-4", "gfe-5"];

describe("ECMP at the edge router", () => {
  it("sends a flow to the same next hop every time, and spreads flows over all of them", () => {
    for (const method of ["hash-threshold", "modulo-n"] as const) {
      const seen = new Set<string>();
      for (const f of FLOWS) {
        expect(ecmpNextHop(f, MAGLEVS, method)).toBe(ecmpNextHop(f, MAGLEVS, method));
        seen.add(ecmpNextHop(f, MAGLEVS, method));
      }
      expect(seen).toEqual(new Set(MAGLEVS));
    }
  });

  it("moves every flow of a removed next hop, and hash-threshold disturbs fewer others than modulo-N (RFC 2992)", () => {
    const after = MAGLEVS.filter((m) => m !== "maglev-2");
    const moved = { "hash-threshold": 0, "modulo-n": 0 };
    for (const method of ["hash-threshold", "modulo-n"] as const) {
      for (const f of FLOWS) {
        const was = ecmpNextHop(f, MAGLEVS, method);
        const now = ecmpNextHop(f, after, method);
        if (was === "maglev-2") expect(now).not.toBe("maglev-2");
        else if (was !== now) moved[method]++;
      }
    }
    expect(moved["hash-threshold"]).toBeGreaterThan(0);
    expect(moved["hash-threshold"]).toBeLessThan(moved["modulo-n"]);
  });
});

describe("a Maglev's connection tracking", () => {
  it("remembers the first packet's pick, and falls back to the table when the entry's backend is gone", () => {
    const flow = FLOWS[0]!;
    const m0 = { name: "maglev-1", backends: GFES, conntrack: new Map<string, string>() };
    const first = maglevForward(m0, flow, { tableSize: 13, firstPacket: true });
    expect(first.conntrack).toBe("miss");
    expect(first.backend).toBe(GFES[maglevTable(GFES, 13).entries[hashMod(flow, 13)]!]);
    const second = maglevForward(first.machine, flow, { tableSize: 13, firstPacket: false });
    expect(second).toMatchObject({ conntrack: "hit", backend: first.backend, slot: null });
    const without = GFES.filter((g) => g !== first.backend);
    const stale = maglevForward({ ...second.machine, backends: without }, flow, { tableSize: 13, firstPacket: false });
    expect(stale.conntrack).toBe("stale");
    expect(without).toContain(stale.backend);
    expect(stale.machine.conntrack.get(flow.key)).toBe(stale.backend);
  });

  it("under the conntrack-miss-drops wrong model, drops a mid-connection packet it has no entry for", () => {
    const m0 = { name: "maglev-1", backends: GFES, conntrack: new Map<string, string>() };
    expect(maglevForward(m0, FLOWS[1]!, { tableSize: 13, firstPacket: false, model: "conntrack-miss-drops" }).backend).toBeNull();
    expect(maglevForward(m0, FLOWS[1]!, { tableSize: 13, firstPacket: true, model: "conntrack-miss-drops" }).backend).not.toBeNull();
  });
});

describe("the ECMP + conntrack story", () => {
  it("a connection survives a Maglev being drained whenever the GFE set is unchanged (§3.3)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: FLOWS.length - 1 }), fc.integer({ min: 2, max: 6 }), fc.constantFrom(13, 31, 65537), (i, maglevs, size) => {
        const names = MAGLEVS.concat(["maglev-5", "maglev-6"]).slice(0, maglevs);
        const story = conntrackStory({ maglevs: names, gfesBefore: GFES, gfesAfter: GFES, flow: FLOWS[i]!, tableSize: size });
        expect(story.survived).toBe(true);
        expect(story.takeover).not.toBe(story.drained);
        expect(story.steps.at(-1)!.title).toBe("The connection survives");
      }),
      { numRuns: RUNS },
    );
  });

  it("with a GFE change as well, it survives exactly when the flow's slot kept its owner", () => {
    const after = GFES.filter((g) => g !== "gfe-3");
    const before = maglevTable(GFES, 13);
    const rebuilt = maglevTable(after, 13);
    let broke = 0;
    for (const flow of FLOWS) {
      const story = conntrackStory({ maglevs: MAGLEVS, gfesBefore: GFES, gfesAfter: after, flow, tableSize: 13 });
      const slot = hashMod(flow, 13);
      const same = GFES[before.entries[slot]!] === after[rebuilt.entries[slot]!];
      expect(story.survived).toBe(same);
      if (!story.survived) broke++;
      // The Maglev that still has the entry keeps the flow on its GFE through the rebuild, if that GFE stayed.
      const kept = story.steps.find((s) => s.id === "data-after-change")!.forwarding!;
      if (story.openedOn !== "gfe-3") expect(kept).toMatchObject({ conntrack: "hit", backend: story.openedOn });
      else expect(kept.conntrack).toBe("stale");
    }
    expect(broke).toBeGreaterThan(0);
  });

  it("under conntrack-miss-drops the takeover Maglev drops the packet", () => {
    const story = conntrackStory({ maglevs: MAGLEVS, gfesBefore: GFES, gfesAfter: GFES, flow: FLOWS[3]!, tableSize: 13, model: "conntrack-miss-drops" });
    expect(story).toMatchObject({ survived: false, endedOn: null });
  });

  it("is deterministic", () => {
    const input = { maglevs: MAGLEVS, gfesBefore: GFES, gfesAfter: GFES.slice(1), flow: FLOWS[7]!, tableSize: 31 };
    expect(JSON.stringify(conntrackStory(input))).toBe(JSON.stringify(conntrackStory(input)));
  });
});
