/**
 * glibc's search-list algorithm (resolv/res_query.c, __res_context_search) and the resolution it drives
 * against the example cluster: published behaviour as cases, the algorithm's rules as properties.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DNS_CLUSTER } from "../../../../src/sim/kube/dns/example";
import { clusterRecords } from "../../../../src/sim/kube/dns/records";
import { resolveName } from "../../../../src/sim/kube/dns/resolve";
import { podResolvConf } from "../../../../src/sim/kube/dns/resolv-conf";
import { searchOrder } from "../../../../src/sim/kube/dns/search";

const runs = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const names = (list: { name: string }[]) => list.map((c) => c.name);
const shop = podResolvConf({ namespace: "shop", dnsPolicy: "ClusterFirst", kubeDnsIp: "10.96.0.10" });
const zone = clusterRecords(EXAMPLE_DNS_CLUSTER);

describe("search order (glibc)", () => {
  it("a short name under ndots:5: every search domain, then the name as is", () => {
    expect(names(searchOrder("web", 5, ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local"]))).toEqual([
      "web.shop.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local.", "web.",
    ]);
  });
  it("www.example.com has 2 dots < 5: six search names before the real one (the ndots:5 cost)", () => {
    const order = names(searchOrder("www.example.com", 5, shop.search));
    expect(order).toHaveLength(7);
    expect(order[6]).toBe("www.example.com.");
  });
  it("a trailing dot: tried as is, once, and nothing else", () => {
    expect(names(searchOrder("www.example.com.", 5, shop.search))).toEqual(["www.example.com."]);
  });
  it("dots ≥ ndots: as is first, then the search list", () => {
    expect(names(searchOrder("a.b", 1, ["x.local", "y.local"]))).toEqual(["a.b.", "a.b.x.local.", "a.b.y.local."]);
  });
  it("ndots counts dots, not labels: a.b has 1 dot, so under ndots:2 the search list comes first", () => {
    expect(names(searchOrder("a.b", 2, ["x.local"]))).toEqual(["a.b.x.local.", "a.b."]);
    expect(names(searchOrder("a.b", 2, ["x.local"], "ndots-counts-labels"))).toEqual(["a.b.", "a.b.x.local."]);
  });
  it("the search-after-failure model tries the name as is first even with 0 dots", () => {
    expect(names(searchOrder("web", 5, ["x.local"], "search-after-failure"))[0]).toBe("web.");
  });
  it("a search entry '.' (the root) stands for the name as is, so it is not tried again at the end", () => {
    expect(names(searchOrder("web", 1, ["x.local", "."]))).toEqual(["web.x.local.", "web."]);
  });

  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
  const nameArb = fc.tuple(fc.array(label, { minLength: 1, maxLength: 5 }), fc.boolean()).map(([labels, dot]) => labels.join(".") + (dot ? "." : ""));
  const searchArb = fc.array(fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join(".")), { maxLength: 6 });

  it("property: the order follows the algorithm for random names, ndots and search lists", () => {
    fc.assert(fc.property(nameArb, fc.integer({ min: 0, max: 15 }), searchArb, (name, ndots, search) => {
      const order = names(searchOrder(name, ndots, search));
      const bare = name.replace(/\.$/, "");
      const dots = [...name].filter((c) => c === ".").length;
      const searched = search.map((d) => `${bare}.${d}.`);
      if (name.endsWith(".")) expect(order).toEqual([name]);
      else if (dots >= ndots) expect(order).toEqual([`${bare}.`, ...searched]);
      else expect(order).toEqual([...searched, `${bare}.`]);
      // Every name sent is absolute, and the name as is is sent exactly once.
      expect(order.every((n) => n.endsWith("."))).toBe(true);
      expect(order.filter((n) => n === `${bare}.`).length).toBeGreaterThanOrEqual(1);
    }), { numRuns: runs });
  });

  it("property: resolution stops at the first name with data, and every name before it had none", () => {
    const short = fc.constantFrom("web", "db", "db-0.db", "payments", "kubernetes", "kubernetes.default", "web.shop", "nope", "www.example.com", "svc", "10-244-1-12.shop.pod");
    fc.assert(fc.property(short, fc.constantFrom("shop", "default", "kube-system"), fc.integer({ min: 0, max: 6 }), (name, ns, ndots) => {
      const conf = podResolvConf({ namespace: ns, dnsPolicy: "ClusterFirst" });
      const r = resolveName(zone, name, ndots, conf.search);
      expect(r.queries).toEqual(r.candidates.slice(0, r.queries.length));
      r.steps.slice(0, -1).forEach((s) => expect(s.result).not.toBe("answer"));
      if (r.outcome.found) expect(r.steps[r.steps.length - 1]!.result).toBe("answer");
      else expect(r.queries).toEqual(r.candidates);
    }), { numRuns: runs });
  });
});

describe("resolution against the example cluster", () => {
  const resolve = (name: string, ns = "shop") => resolveName(zone, name, 5, podResolvConf({ namespace: ns, dnsPolicy: "ClusterFirst" }).search);
  it("web from shop: the first search domain answers", () => {
    expect(resolve("web").queries).toEqual(["web.shop.svc.cluster.local."]);
    expect(resolve("web").outcome.addresses).toEqual(["10.96.120.15"]);
  });
  it("web.shop from default: NXDOMAIN in default's domain, then svc.cluster.local answers", () => {
    const r = resolve("web.shop", "default");
    expect(r.queries).toEqual(["web.shop.default.svc.cluster.local.", "web.shop.svc.cluster.local."]);
    expect(r.steps[0]!.result).toBe("nxdomain");
  });
  it("a headless Service gives the ready Pods' addresses; a StatefulSet Pod has its own name", () => {
    expect(resolve("db").outcome.addresses).toEqual(["10.244.1.20", "10.244.2.21"]);
    expect(resolve("db-0.db").outcome.addresses).toEqual(["10.244.1.20"]);
  });
  it("an ExternalName Service answers with a CNAME and its target's address", () => {
    const step = resolve("payments").steps[0]!;
    expect(step.a.answers.map((r) => `${r.type} ${r.data}`)).toEqual(["CNAME api.example.com.", "A 198.51.100.7"]);
  });
  it("www.example.com: six NXDOMAINs (12 queries) before the name as is answers", () => {
    const r = resolve("www.example.com");
    expect(r.queries).toHaveLength(7);
    expect(r.steps.slice(0, 6).every((s) => s.result === "nxdomain")).toBe(true);
    expect(r.outcome.addresses).toEqual(["192.0.2.53"]);
  });
  it("an empty non-terminal is NODATA, and the search moves on", () => {
    const r = resolve("svc", "default");
    expect(r.steps[1]!.name).toBe("svc.svc.cluster.local.");
    expect(r.steps.find((s) => s.name === "svc.cluster.local.")?.result).toBe("nodata");
  });
  it("kube-dns answers a Pod A record from the name alone", () => {
    expect(resolve("10-244-1-12.shop.pod").outcome.addresses).toEqual(["10.244.1.12"]);
    expect(resolve("10-9-9-9.shop.pod").outcome.addresses).toEqual(["10.9.9.9"]);
    const cloud = clusterRecords(EXAMPLE_DNS_CLUSTER, { provider: "cloud-dns" });
    expect(resolveName(cloud, "10-244-1-12.shop.pod", 5, shop.search).outcome.found).toBe(false);
  });
});
