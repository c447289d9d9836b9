/**
 * The ssl-modes templates (src/quiz/bank/ssl-modes/), seeds 0…199 each (SSL_MODES_SEEDS): the bank's common
 * checks, with every rubric step a step of the trace the variant's lab link opens; then facts checked against
 * Cloudflare's documented behaviour independently of the templates.
 */
import { describe, expect, it } from "vitest";
import { SSL_MODES_TEMPLATES } from "../../../src/quiz/bank/ssl-modes/index";
import { DEFAULT_INPUT, type SslInput } from "../../../src/sim/tls/cloudflare-ssl/inputs";
import { runSslMode } from "../../../src/sim/tls/cloudflare-ssl/run";
import type { AnyVariant } from "../../../src/quiz/engine/types";
import { areaChecks, as } from "./area-checks";

function inputOf(v: AnyVariant): SslInput {
  const q = v.lab!.query;
  return {
    ...DEFAULT_INPUT,
    mode: q["ssl-matrix.mode"] as SslInput["mode"],
    cert: q["ssl-matrix.cert"] as SslInput["cert"],
    listener: q["ssl-matrix.listener"] as SslInput["listener"],
    visitor: q["ssl-matrix.visitor"] as SslInput["visitor"],
    alwaysUseHttps: q["ssl-matrix.https"] === "on",
  };
}

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "ssl-modes",
  folder: "ssl-modes",
  templates: SSL_MODES_TEMPLATES,
  seeds: { env: "SSL_MODES_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 2 },
  lesson: "cloudflare-ssl-modes",
  labIds: ["ssl-matrix"],
  knownStep: (v) => {
    const ids = new Set(runSslMode(inputOf(v)).steps.map((s) => s.id));
    // strongest-mode's rubric points into each mode's run; those are rows of the same lab.
    const all = new Set(["strict", "full", "flexible", "off"].flatMap((mode) => runSslMode({ ...inputOf(v), mode: mode as SslInput["mode"] }).steps.map((s) => s.id)));
    return (step) => ids.has(step) || (v.template === "ssl-strongest-mode" && all.has(step));
  },
});

describe("ssl-modes questions, checked independently", () => {
  it("ssl-visitor-sees: a self-signed certificate is 526 in the strict modes and a page in Full, never 502", () => {
    const t = template("ssl-visitor-sees");
    let seen = 0;
    everySeed(t, (v) => {
      const sc = as(v, "single-choice");
      const input = inputOf(v);
      if (sc.key.choice === "502") return "the key is 502";
      if (input.cert !== "self-signed" || input.visitor !== "https" || input.listener === "http-only") return null;
      seen++;
      if ((input.mode === "strict" || input.mode === "origin-pull") && sc.key.choice !== "526") return `key ${sc.key.choice}, want 526`;
      if (input.mode === "full" && sc.key.choice !== "page-https") return `key ${sc.key.choice}, want a page`;
      return null;
    });
    expect(seen).toBeGreaterThan(3);
    expect(as(t.variant(0), "single-choice").key.choice).toBe("526");
    expect(t.variant(0).misconceptions.map((m) => m.misconception)).toContain("self-signed-502");
  });

  it("ssl-hop-facts: Flexible and Off never encrypt the origin hop; Full never authenticates the origin", () => {
    everySeed(template("ssl-hop-facts"), (v) => {
      const mc = as(v, "multiple-choice");
      const { mode } = inputOf(v);
      if ((mode === "flexible" || mode === "off") && mc.key.choices.includes("origin-encrypted")) return "origin hop encrypted";
      if (mode === "full" && mc.key.choices.includes("origin-verified")) return "Full verified";
      return null;
    });
  });

  it("ssl-strongest-mode: an Origin CA or public certificate on 443 keeps Full (strict); a self-signed one drops to Full", () => {
    everySeed(template("ssl-strongest-mode"), (v) => {
      const sc = as(v, "single-choice");
      const { cert, listener } = inputOf(v);
      if (listener === "both" && (cert === "origin-ca" || cert === "valid") && sc.key.choice !== "strict") return `key ${sc.key.choice}`;
      if (listener === "both" && cert === "self-signed" && sc.key.choice !== "full") return `key ${sc.key.choice}`;
      if (listener === "http-only" && sc.key.choice !== "flexible") return `key ${sc.key.choice}`;
      return null;
    });
  });

  it("the bank uses every wrong model of the simulator", () => {
    const used = misconceptionsUsed();
    for (const id of ["self-signed-502", "full-validates-origin", "flexible-encrypts-origin", "strict-rejects-origin-ca"]) expect(used, id).toContain(id);
  });
});
