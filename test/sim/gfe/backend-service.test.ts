import { describe, expect, it } from "vitest";
import { pickBackend, type BackendService, type NegBackend } from "../../../src/sim/edge/backend-service";
import { exampleBackendService, WEB_PODS } from "../../../src/sim/edge/gfe-examples";

const neg = (name: string, zone: string, ips: string[], extra: Partial<NegBackend> = {}): NegBackend => ({
  kind: "zonal-neg", name, zone, balancingMode: "RATE", maxRatePerEndpoint: 10, capacityScaler: 1, load: 0,
  endpoints: ips.map((ip, i) => ({ ip, port: 8080, pod: `${name}-pod-${i}`, node: `${name}-node`, health: "HEALTHY" })), ...extra,
});

describe("backend service: NEGs and instance groups", () => {
  it("sends a NEG request straight to a Pod: one hop, one decision", () => {
    const choice = pickBackend(exampleBackendService("neg"), "paris", 1);
    expect(choice.failure).toBeNull();
    expect(choice.hops).toHaveLength(1);
    expect(WEB_PODS.map((p) => p.ip)).toContain(choice.target!.ip);
    expect(choice.steps.some((s) => s.stage === "kube-proxy")).toBe(false);
  });

  it("sends an instance-group request to a node's NodePort, where kube-proxy draws again — sometimes another node", () => {
    const crossings = Array.from({ length: 60 }, (_, seed) => pickBackend(exampleBackendService("instance-group"), "paris", seed));
    for (const c of crossings) {
      expect(c.target!.port).toBe(30080);
      expect(c.hops).toHaveLength(2);
      expect(c.steps.find((s) => s.stage === "kube-proxy")?.why).toMatch(/second, independent choice/);
    }
    expect(crossings.some((c) => c.pod!.node !== c.target!.name)).toBe(true);
    expect(crossings.some((c) => c.pod!.node === c.target!.name)).toBe(true);
  });

  it("never picks an endpoint that is not HEALTHY (UNHEALTHY, DRAINING, UNKNOWN)", () => {
    for (let seed = 0; seed < 50; seed++) {
      const c = pickBackend(exampleBackendService("neg", ["UNHEALTHY", "DRAINING", "HEALTHY"]), "tokyo", seed);
      expect(c.target!.ip).toBe(WEB_PODS[2].ip);
    }
    const none = pickBackend(exampleBackendService("neg", ["UNHEALTHY", "DRAINING", "UNKNOWN"]), "tokyo", 0);
    expect(none.failure).toMatchObject({ status: 502, statusDetails: "failed_to_pick_backend" });
  });

  it("keeps instance-group nodes healthy while any Pod is ready, and kube-proxy sends only to ready Pods", () => {
    const c = pickBackend(exampleBackendService("instance-group", ["UNHEALTHY", "UNHEALTHY", "HEALTHY"]), "paris", 4);
    expect(c.pod!.ip).toBe(WEB_PODS[2].ip);
  });

  it("waterfalls by region: the nearest region with capacity, spilling over when it is full", () => {
    const service = (euLoad: number): BackendService => ({
      name: "web",
      backends: [neg("eu", "europe-west1-b", ["10.132.1.5", "10.132.1.6"], { load: euLoad }), neg("us", "us-central1-a", ["10.128.1.5"])],
    });
    expect(pickBackend(service(0), "paris", 0).region).toBe("europe-west1");
    expect(pickBackend(service(19), "paris", 0).region).toBe("europe-west1");
    const full = pickBackend(service(20), "paris", 0);
    expect(full.region).toBe("us-central1");
    expect(full.steps.find((s) => s.label === "europe-west1")?.verdict).toBe("full");
    expect(pickBackend(service(0), "new-york", 0).region).toBe("us-central1");
  });

  it("drains a backend whose capacity scaler is 0", () => {
    const service: BackendService = { name: "web", backends: [neg("eu", "europe-west1-b", ["10.132.1.5"], { capacityScaler: 0 }), neg("us", "us-central1-a", ["10.128.1.5"])] };
    expect(pickBackend(service, "paris", 0).region).toBe("us-central1");
  });

  it("refuses UTILIZATION on a NEG, CONNECTION on an HTTP(S) backend service, and a bad capacity scaler", () => {
    expect(() => pickBackend({ name: "w", backends: [neg("a", "us-central1-a", ["10.0.0.1"], { balancingMode: "UTILIZATION" })] }, "paris", 0)).toThrow(/needs an instance group/);
    expect(() => pickBackend({ name: "w", backends: [neg("a", "us-central1-a", ["10.0.0.1"], { balancingMode: "CONNECTION" })] }, "paris", 0)).toThrow(/TCP\/SSL proxy/);
    expect(() => pickBackend({ name: "w", backends: [neg("a", "us-central1-a", ["10.0.0.1"], { capacityScaler: 0.05 })] }, "paris", 0)).toThrow(/capacityScaler/);
  });

  it("is deterministic for a seed and spreads over seeds", () => {
    const svc = exampleBackendService("neg");
    expect(pickBackend(svc, "paris", 11)).toEqual(pickBackend(svc, "paris", 11));
    expect(new Set(Array.from({ length: 40 }, (_, s) => pickBackend(svc, "paris", s).target!.ip)).size).toBe(3);
  });
});
