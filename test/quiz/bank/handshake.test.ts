/**
 * The handshake templates (src/quiz/bank/handshake/), seeds 0…199 each (HANDSHAKE_SEEDS): the bank's
 * common checks (`area-checks.ts`), every rubric step a flagship step id; then facts checked against the
 * simulator and the RFCs apart from the templates.
 */
import { describe, expect, it } from "vitest";
import { HANDSHAKE_TEMPLATES } from "../../../src/quiz/bank/handshake/index";
import { computeTrace } from "../../../src/sim/scenarios/index";
import { eventsOfType } from "../../../src/sim/trace";
import { areaChecks } from "./area-checks";

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "handshake",
  folder: "handshake",
  templates: HANDSHAKE_TEMPLATES,
  seeds: { env: "HANDSHAKE_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 2 },
  lesson: "two-tls-terminations",
  labIds: ["tls"],
  knownStep: () => (step) => /^(request|response):[a-z-]+$/.test(step),
  // The Ingress's certificates are the question; the prompt names only the client's host.
  questionInExhibits: ["sni-pick"],
});

describe("handshake questions, checked independently", () => {
  it("where-it-fails: the key's sender is the one that sends the trace's tls-alert", () => {
    const t = template("where-it-fails");
    everySeed(t, (v, seed) => {
      if (v.kind !== "single-choice") return "kind";
      const alert = eventsOfType(computeTrace("cloudflare-gke", t.params(seed) as Record<string, string>), "tls-alert")[0]?.event;
      if (!alert) return "no alert in the trace";
      const serverSent = alert.sentBy === "gfe" || (alert.sentBy === "cf-edge" && v.key.choice === "server-after-hello");
      return (v.key.choice === "client-after-server-flight") === !serverSent ? null : `key ${v.key.choice}, alert from ${alert.sentBy}`;
    });
  });

  it("observer-reads: the observer never reads the certificate, the path or the body in TLS 1.3 (RFC 8446 §4.4.2)", () => {
    everySeed(template("observer-reads"), (v) => {
      if (v.kind !== "multiple-choice") return "kind";
      const bad = v.key.choices.filter((c) => ["certificate", "path", "host-header", "body", "alpn"].includes(c));
      return bad.length === 0 && v.key.choices.includes("sni") ? null : `key ${v.key.choices.join(",")}`;
    });
  });

  it("sni-pick: an IP address always gets the primary", () => {
    const t = template("sni-pick");
    everySeed(t, (v, seed) => {
      const p = t.params(seed);
      if (v.kind !== "single-choice" || p.host !== "34.98.10.5") return null;
      return v.view.options.find((o) => o.id === v.key.choice)!.text.includes("tls") && v.key.choice !== "refuse" ? null : "not the primary";
    });
  });

  it("the misconceptions the bank uses all appear for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["tls12-cert-in-clear", "sni-encrypted", "sni-no-match-fails", "tls-at-pod"]) expect(used, id).toContain(id);
  });
});
