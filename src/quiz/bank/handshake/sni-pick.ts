import { seededRandom } from "../../../sim/random";
import { chooseCertificate, EXAMPLE_PROXY_CERTIFICATES, type ProxyCertificate } from "../../../sim/tls/handshake/sni";
import type { Choice, MisconceptionAnswer, Template, Why } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { LAB_ID, LESSON } from "./shared";

/**
 * Which certificate a target HTTPS proxy with three (an Ingress with three `spec.tls` Secrets) presents
 * for a client's name — read off `chooseCertificate`, the SNI rule Google documents, with the primary
 * (the first listed) for no SNI and no match. The wrong model `no-match-refuses` gives the misconception answer.
 */
const ID = "sni-pick";
const HOSTS = ["api.example.com", "www.example.com", "example.com", "blog.example.com", "a.shop.example.net", "a.b.shop.example.net", "34.98.10.5", "shop.example.net"];

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { host: "blog.example.com", primary: 0 };
  const r = seededRandom(seed);
  return { host: pick(r, HOSTS), primary: pick(r, [0, 1, 2]) };
}

function listed(primary: number): ProxyCertificate[] {
  const c = EXAMPLE_PROXY_CERTIFICATES;
  return [c[primary]!, ...c.filter((_, i) => i !== primary)];
}

export const sniPick: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which certificate the load balancer presents",
  lesson: LESSON,
  concepts: ["sni", "tls-handshake", "gfe"],
  file: "src/quiz/bank/handshake/sni-pick.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const host = String(p.host);
    const certs = listed(Number(p.primary));
    const choice = chooseCertificate(certs, host);
    const wrong = chooseCertificate(certs, host, "no-match-refuses");
    const choices: Choice[] = [
      ...certs.map((c) => ({ id: c.name, text: `It presents ${c.name} (${c.names.join(", ")})` })),
      { id: "refuse", text: `It ends the handshake with an alert, since no certificate is meant for ${host}` },
    ];
    const key = { choice: choice.index === null ? "refuse" : certs[choice.index]!.name };
    const whys: Record<string, Why> = Object.fromEntries(certs.map((c, i) => [c.name, {
      why: i === choice.index
        ? `Right: ${choice.rule} ${choice.clientCheck}`
        : choice.why === "sni-match"
          ? `${c.name} does not cover ${host}; ${certs[choice.index!]!.name} does.`
          : `${i === 0 ? "" : `${c.name} is not the primary. `}${choice.rule}`,
      step: null,
    }]));
    whys.refuse = { why: `Google's load balancer does not refuse the handshake for an unknown name: ${choice.rule}`, step: null };
    const misconceptions: MisconceptionAnswer<"single-choice">[] = wrong.index === null ? [{ misconception: "sni-no-match-fails", answer: { choice: "refuse" } }] : [];
    const exhibit = certs.map((c, i) => `  - hosts: [${c.names.map((n) => JSON.stringify(n)).join(", ")}]\n    secretName: ${c.name}${i === 0 ? "   # first: the primary" : ""}`).join("\n");
    const by = choice.sni === null ? `connects to ${host} (an address, not a name)` : `sends SNI ${host}`;
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `A GKE Ingress lists three TLS Secrets (below), so its target HTTPS proxy holds three certificates, the first being the primary. A client ${by}. Which certificate does the load balancer present?`,
      exhibits: [{ kind: "output", command: "kubectl get ingress web -o yaml  # spec.tls", text: `spec:\n  tls:\n${exhibit}` }],
      view: { options: orderedChoices(orderRandom(seed, ID), choices) },
      key,
      rubric: { options: whys },
      misconceptions,
      hints: [
        "The load balancer must pick a certificate before it has seen any HTTP. What does it know about the name at that point?",
        "What does the load balancer do when the ClientHello names nothing it has, or names nothing at all?",
      ],
      explanation:
        `${choice.rule} ${choice.clientCheck} A wildcard covers exactly one label (RFC 9525), and an IP address is never sent as SNI (RFC 6066 §3). ` +
        "The load balancer never refuses the handshake for an unknown name: it falls back to the primary and leaves the verdict to the client.",
      lab: { page: `/lessons/${LESSON}/`, lab: LAB_ID, query: {} },
    };
  },
};
