import { describe, expect, it } from "vitest";
import { hostHeaderCases } from "../../../src/sim/edge/dns-host-header";

/**
 * The Host header decides acceptance through the URL map: read off the flagship trace for a client
 * connecting to the load balancer's address directly. The source's "404/403" is corrected: the
 * default backend answers 404; 403 is Cloud Armor's.
 */
describe("the Host header at the load balancer", () => {
  const cases = Object.fromEntries(hostHeaderCases().map((c) => [c.id, c]));

  it("a matching Host reaches the Pod even from a client that bypasses Cloudflare", () => {
    expect(cases.matching).toMatchObject({ status: "200 OK", step: "response:pod", matchedRule: "host www.example.com, path /*", source: "trace" });
  });

  it("an unknown Host or an IP literal gets the default backend's 404, never a 403", () => {
    expect(cases["unknown-host"]).toMatchObject({ status: "404 Not Found", matchedRule: null, step: "response:gfe" });
    expect(cases["unknown-host"]!.by).toContain("default-http-backend");
    expect(cases["ip-literal"]).toMatchObject({ host: "34.98.10.5", status: "404 Not Found", source: "url-map" });
    expect(cases["ip-literal"]!.note).toContain("RFC 6066");
  });

  it("403 comes from Cloud Armor on the routed backend service, which the default backend's requests never meet", () => {
    expect(cases["matching-cloud-armor"]).toMatchObject({ status: "403 Forbidden" });
    expect(cases["matching-cloud-armor"]!.by).toContain("Cloud Armor");
    expect(cases["unknown-cloud-armor"]).toMatchObject({ status: "404 Not Found" });
  });
});
