import { describe, expect, it } from "vitest";
import { firewallLabWorlds } from "../../../../src/sim/kube/policy/firewall-lab-worlds";
import { firewallWorldYaml, loadFirewallWorld } from "../../../../src/sim/kube/policy/firewall-world";

const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === "source" ? undefined : x)));

describe("the firewall lab's precomputed worlds", () => {
  it("equal what loading firewallWorldYaml() gives (regenerate firewall-lab-worlds.ts when the world changes)", () => {
    for (const trafficPolicy of ["Cluster", "Local"] as const) {
      const w = loadFirewallWorld([{ name: "w.yaml", text: firewallWorldYaml({ sourceRanges: ["198.51.100.0/24"], trafficPolicy, policy: true }) }]);
      expect(firewallLabWorlds[trafficPolicy]).toEqual(strip(w.state));
      expect(firewallLabWorlds.policies).toEqual(strip(w.policies));
    }
  });
});
