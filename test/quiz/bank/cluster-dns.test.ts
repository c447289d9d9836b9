/**
 * The cluster-dns templates (src/quiz/bank/cluster-dns/), seeds 0…199 each (CLUSTER_DNS_SEEDS): the bank's
 * common checks, then facts checked against published behaviour independently of the templates.
 */
import { describe, expect, it } from "vitest";
import { CLUSTER_DNS_TEMPLATES } from "../../../src/quiz/bank/cluster-dns/index";
import { areaChecks } from "./area-checks";

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "cluster-dns",
  folder: "cluster-dns",
  templates: CLUSTER_DNS_TEMPLATES,
  seeds: { env: "CLUSTER_DNS_SEEDS", default: 200 },
  count: { min: 3, max: 4, minKinds: 3 },
  lesson: "cluster-dns",
  labIds: ["resolver"],
  knownStep: () => (step) => /^q\d+$/.test(step),
  orderingWithDistractors: ["query-order"],
});

describe("cluster-dns questions, checked independently", () => {
  it("query-order, seed 0: web.shop from default is searched in default's domain, then found in svc.cluster.local", () => {
    const v = template("query-order").variant(0);
    if (v.kind !== "ordering") throw new Error("kind");
    const text = (id: string) => v.view.items.find((i) => i.id === id)!.text;
    expect(v.key.order.map(text)).toEqual(["web.shop.default.svc.cluster.local.", "web.shop.svc.cluster.local."]);
  });

  it("query-count, seed 0: www.example.com under ndots:5 on GKE costs 14 queries (7 names × A+AAAA)", () => {
    const v = template("query-count").variant(0);
    expect(v.key).toEqual({ value: 14 });
  });

  it("query-count: a trailing dot always costs exactly 2 queries", () => {
    everySeed(template("query-count"), (v) => (v.kind === "numeric" && v.prompt.includes('."') && v.key.value !== 2 ? `key ${JSON.stringify(v.key)}` : null));
  });

  it("pod-nameserver, seed 0: ClusterFirst on a hostNetwork Pod gets the node's resolver", () => {
    expect(template("pod-nameserver").variant(0).key).toEqual({ choice: "metadata" });
  });

  it("every misconception the area defines appears for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["ndots-counts-labels", "search-after-failure", "default-policy-is-cluster-dns", "hostnetwork-keeps-cluster-dns"]) expect(used, id).toContain(id);
  });
});
