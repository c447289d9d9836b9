import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { addressExplorerMachine, type Field } from "../../src/machines/address-explorer.machine";

const start = () => initialTransition(addressExplorerMachine, {})[0];
const change = (s: ReturnType<typeof start>, field: Field, text: string) =>
  transition(addressExplorerMachine, s, { type: "CHANGE", field, text })[0];

describe("address explorer machine", () => {
  it("places the flagship Pod in its node's range", () => {
    const s = start();
    expect(s.context.errors).toEqual({});
    expect(s.context.result).toMatchObject({
      range: "10.4.0.0/14 (10.4.0.0 – 10.7.255.255)",
      rangeSize: 262144,
      nodeRanges: 1024,
      podsPerNode: 110,
      address: "10.4.1.5",
      scope: "private",
      nodeRange: "10.4.1.0/24",
      nodeIndex: 1,
    });
  });

  it("says an address outside the cluster is outside, with its scope", () => {
    const s = change(start(), "address", "34.98.10.5");
    expect(s.context.result).toMatchObject({ nodeRange: null, scope: "public" });
  });

  it("keeps each field's error beside that field and the rest working", () => {
    let s = change(start(), "address", "10.4.1.300");
    expect(s.context.errors).toEqual({ address: "10.4.1.300: octet 4 is above 255" });
    expect(s.context.result).toMatchObject({ rangeSize: 262144, address: null });
    s = change(s, "range", "10.4.1.0/14");
    expect(s.context.errors.range).toBe("10.4.1.0/14: host bits are set; the block is 10.4.0.0/14");
    expect(s.context.result).toBeNull();
    s = change(s, "range", "10.4.0.0/14");
    s = change(s, "address", "10.4.3.9");
    expect(s.context.errors).toEqual({});
    expect(s.context.result?.nodeRange).toBe("10.4.3.0/24");
  });

  it("checks the node prefix against the range and GKE's limits", () => {
    expect(change(start(), "nodePrefix", "/12").context.errors.nodePrefix).toBe("/12 is larger than the whole Pod range (/14)");
    expect(change(start(), "nodePrefix", "/30").context.errors.nodePrefix).toBe("GKE node ranges run from /23 (256 Pods) to /28 (8 Pods); /30 is outside that");
    expect(change(start(), "nodePrefix", "/22").context.errors.nodePrefix).toContain("/22 is outside that");
    expect(change(start(), "nodePrefix", "/23").context.result).toMatchObject({ podsPerNode: 256, nodeRange: "10.4.0.0/23" });
    expect(change(start(), "nodePrefix", "abc").context.errors.nodePrefix).toContain("is not a prefix length");
    const s = change(start(), "nodePrefix", "26");
    expect(s.context.result).toMatchObject({ nodeRanges: 4096, podsPerNode: 32, nodeRange: "10.4.1.0/26" });
  });
});
