import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slicesByService } from "../../../../src/sim/kube/endpoints";
import { endpointsFor, type EndpointInfo } from "../../../../src/sim/kube/iptables/endpoints";
import { servicePortsFor } from "../../../../src/sim/kube/iptables/service-ports";
import type { EndpointSlice } from "../../../../src/sim/kube/model";
import { ep, makeTestEndpointSlice, makeTestService, port, slicePort } from "./kube-proxy-test-kit";

/**
 * endpointslicecache.go's merge, as the iptables proxier reads it: slices in name order, duplicates
 * ("ip:port") keep the first copy unless a later one is local, sorted by "ip:port". The reference
 * below is the plain map-based reading; endpointsFor scans short lists and switches to a map for
 * long ones, and must agree either way.
 */
function reference(slices: readonly EndpointSlice[], portName: string, nodeName: string): string[] {
  const set = new Map<string, EndpointInfo>();
  const sorted = [...slices].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const slice of sorted) {
    for (const p of slice.ports) {
      if (p.name !== portName || p.port === null || p.port === 0) continue;
      for (const e of slice.endpoints) {
        const ip = e.addresses[0]!;
        const isLocal = e.nodeName === nodeName;
        const key = `${ip}:${p.port}`;
        if (!set.has(key) || isLocal) {
          set.set(key, { ip, port: p.port, endpoint: key, isLocal, ready: e.conditions.ready, serving: e.conditions.serving, terminating: e.conditions.terminating });
        }
      }
    }
  }
  return [...set.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1)).map((e) => `${e.endpoint} local=${e.isLocal} ready=${e.ready}`);
}

describe("endpointsFor (the EndpointSliceCache merge)", () => {
  it("agrees with the map-based merge, for short and long lists with duplicates across slices", () => {
    const svc = makeTestService("ns", "svc", (s) => {
      s.clusterIP = "172.30.0.1";
      s.clusterIPs = ["172.30.0.1"];
      s.ports = [port({ name: "p80", port: 80 })];
    });
    const sp = servicePortsFor(svc, "IPv4")[0]!;
    const endpoint = fc.record({ host: fc.integer({ min: 1, max: 40 }), local: fc.boolean(), ready: fc.boolean() });
    const slice = fc.record({ port: fc.constantFrom(80, 8080), endpoints: fc.array(endpoint, { maxLength: 40, size: "max" }) });
    fc.assert(
      fc.property(fc.array(slice, { minLength: 1, maxLength: 3 }), (drafts) => {
        const slices = drafts.map((d, n) =>
          makeTestEndpointSlice("ns", "svc", n + 1, (s) => {
            s.endpoints = d.endpoints.map((e) => ep(`10.0.1.${e.host}`, { nodeName: e.local ? "test-node" : "other-node", ready: e.ready }));
            s.ports = [slicePort("p80", d.port)];
          }),
        );
        const got = endpointsFor(slicesByService(slices), sp, "IPv4", "test-node").map((e) => `${e.endpoint} local=${e.isLocal} ready=${e.ready}`);
        expect(got).toEqual(reference(slices, "p80", "test-node"));
      }),
      { numRuns: 300 },
    );
  });
});
