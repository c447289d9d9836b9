/**
 * The DNS, Host-header and static-IP templates over seeds 0–199 (DNS_SEEDS changes the count): the
 * bank's common checks (`area-checks.ts`), with every numeric key a whole count; then the wrong models
 * each template meets, and keys read off the simulators independently of the templates.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DNS_TEMPLATES } from "../../../src/quiz/bank/dns/index";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import { DNS_MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions/dns";
import type { AnyVariant } from "../../../src/quiz/engine/types";
import { DNS_MODELS, resolveDnsChain } from "../../../src/sim/edge/dns-chain";
import { STATIC_IP_MODELS } from "../../../src/sim/edge/static-ip";
import { decodeLabInput } from "../../../src/sim/core/permalink";
import { areaChecks } from "./area-checks";

const { variantsOf, template } = areaChecks({
  name: "dns",
  folder: "dns",
  templates: DNS_TEMPLATES,
  seeds: { env: "DNS_SEEDS", default: 200 },
  kinds: ["single-choice", "diagnosis", "multiple-choice", "ordering", "numeric"],
  count: { min: 4, max: 5, minKinds: 4 },
  lesson: "domains-dns-and-the-host-header",
  // The Host question opens the flagship's journey lab with Cloudflare bypassed; the others this lesson's labs.
  labPage: (t) => (t.id === "host-header-answer" ? "/lessons/life-of-a-packet/" : `/lessons/${t.lesson}/`),
  // The Ingress and Terraform texts are the question.
  questionInExhibits: ["static-ip-annotation"],
  // The DNS numbers are counts of queries.
  extra: () => (v) => (v.kind === "numeric" && !Number.isInteger(v.key.value) ? `numeric key ${v.key.value} is not a whole number` : null),
});

describe("the dns bank's wrong models", () => {
  it("names only misconceptions that are modes of the simulators", () => {
    const modes = new Set([...Object.keys(DNS_MODELS), ...Object.keys(STATIC_IP_MODELS)]);
    for (const m of DNS_MISCONCEPTIONS) {
      expect(modes.has(m.id), m.id).toBe(true);
      expect(MISCONCEPTIONS[m.id]).toBeDefined();
    }
  });

  it("keeps the static-IP question's source", () => {
    expect(template("static-ip-annotation").source).toBeTruthy();
  });

  // Each template that offers wrong models meets every one of them within the seeds.
  const offered: Record<string, readonly string[]> = {
    "dns-query-count": ["registrar-answers-queries"],
    "what-dns-reveals": ["proxied-hides-origin", "registrar-answers-queries"],
    "static-ip-annotation": ["annotation-takes-terraform-label", "unmatched-name-goes-ephemeral"],
    "host-header-answer": ["tls-at-pod"],
  };
  it.each(Object.entries(offered))("%s meets each of its wrong models", (id, models) => {
    const met = new Set(variantsOf(template(id)).flatMap((v) => v.misconceptions.map((m) => m.misconception)));
    for (const m of models) expect(met.has(m), `${id} never produced ${m}`).toBe(true);
  }, 600_000);
});

describe("keys read off the simulators", () => {
  it("the ordering key is the stepper's own sequence, and the count its own count", () => {
    const order = template("dns-lookup-order").variant(0) as AnyVariant;
    expect(order.kind === "ordering" && order.key.order).toEqual(resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }).steps.map((s) => s.id));
    const count = template("dns-query-count").variant(0) as AnyVariant;
    expect(count.kind === "numeric" && count.key.value).toBe(4);
  });

  it("the static-IP question's seed 0 is the source's own mistake, and its link reopens the exact texts", () => {
    const v = template("static-ip-annotation").variant(0) as AnyVariant;
    expect(v.kind === "diagnosis" && v.key.choice).toBe("sync-error");
    expect(v.misconceptions.map((m) => m.misconception).sort()).toEqual(["annotation-takes-terraform-label", "unmatched-name-goes-ephemeral"]);
    const texts = decodeLabInput(v.lab!.query["static-ip.in"]!) as { ingress: string; terraform: string };
    expect(texts.ingress).toContain('kubernetes.io/ingress.global-static-ip-name: "ingress_ip"');
    expect(readFileSync(`content/lessons/domains-dns-and-the-host-header.mdx`, "utf8")).toContain("<StaticIpLab labId=\"static-ip\"");
  });

  it("the Host question's unknown-host case is the default backend's 404, and tls-at-pod believes 200", () => {
    const v = template("host-header-answer").variant(0) as AnyVariant;
    expect(v.kind === "single-choice" && v.key.choice).toBe("default-404");
    expect(v.misconceptions).toEqual([{ misconception: "tls-at-pod", answer: { choice: "pod-200" } }]);
  });
});
