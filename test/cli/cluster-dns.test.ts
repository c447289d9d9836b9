/** `npm run sim -- dns NAME …` and `dns records FILE…` (cluster DNS), and the edge `dns` command still answering. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { clusterIpDeploymentManifest } from "../../src/sim/kube/manifest/examples/index";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });
let dir = "";
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-cluster-dns-"));
  writeFileSync(file("clusterip.yaml"), clusterIpDeploymentManifest);
  writeFileSync(file("broken.yaml"), clusterIpDeploymentManifest.replace("port: 80", "port: 70000"));
});

describe("npm run sim -- dns (cluster DNS)", () => {
  it("NAME --namespace: the queries in the order sent, stopping at the first answer", () => {
    const out = sim("dns", "web.shop", "--namespace", "default", "--json");
    expect(out.status).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.queries).toEqual(["web.shop.default.svc.cluster.local.", "web.shop.svc.cluster.local."]);
    expect(json.outcome.addresses).toEqual(["10.96.120.15"]);
  });
  it("--ndots and --search replace the Pod's defaults", () => {
    const json = JSON.parse(sim("dns", "www.example.com", "--namespace", "shop", "--ndots", "2", "--search", "a.local,b.local", "--json").stdout);
    expect(json.queries).toEqual(["www.example.com."]);
    const json5 = JSON.parse(sim("dns", "api.example.com", "--namespace", "shop", "--ndots", "3", "--search", "a.local,b.local", "--json").stdout);
    expect(json5.queries).toEqual(["api.example.com.a.local.", "api.example.com.b.local.", "api.example.com."]);
  });
  it("text output shows resolv.conf and each query", () => {
    const out = sim("dns", "db", "--namespace", "shop");
    expect(out.stdout).toContain("search shop.svc.cluster.local svc.cluster.local cluster.local");
    expect(out.stdout).toContain("q1  db.shop.svc.cluster.local.");
    expect(out.stdout).toContain("A 10.244.1.20, A 10.244.2.21");
  });
  it("bad input: exit 2 with a one-line message naming it", () => {
    for (const args of [["dns", "web"], ["dns", "web", "--namespace", "Shop_1"], ["dns", "web", "--namespace", "shop", "--ndots", "x"], ["dns", "a..b", "--namespace", "shop"], ["dns", "web", "--namespace", "shop", "--dns-policy", "Cluster"]]) {
      const out = sim(...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).not.toContain("    at ");
    }
  });
  it("records FILE.yaml: every record the cluster DNS serves", () => {
    const out = sim("dns", "records", file("clusterip.yaml"), "--json");
    expect(out.status).toBe(0);
    const records = JSON.parse(out.stdout).records as { name: string; type: string; data: string }[];
    expect(records).toContainEqual(expect.objectContaining({ name: "web.shop.svc.cluster.local.", type: "A", data: "10.96.120.15" }));
    expect(records).toContainEqual(expect.objectContaining({ name: "_http._tcp.web.shop.svc.cluster.local.", type: "SRV", data: "10 100 80 web.shop.svc.cluster.local." }));
    expect(records).toContainEqual(expect.objectContaining({ name: "15.120.96.10.in-addr.arpa.", type: "PTR" }));
    const text = sim("dns", "records", file("clusterip.yaml")).stdout;
    expect(text).toMatch(/web\.shop\.svc\.cluster\.local\.\t30\tIN\tA\t10\.96\.120\.15/);
  });
  it("records: a manifest problem is reported at file:line, exit 2", () => {
    const out = sim("dns", "records", file("broken.yaml"));
    expect(out.status).toBe(2);
    expect(out.stderr).toContain("broken.yaml:");
    expect(sim("dns", "records").status).toBe(2);
  });
  it("the edge dns command still answers as before", () => {
    const out = sim("dns", "--setup", "dns-only", "--json");
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toBeTruthy();
  });
});
