import { seededRandom } from "../../../sim/random";
import type { PartyId } from "../../../sim/tls/handshake/types";
import { readsOf, whoCanRead } from "../../../sim/tls/handshake/visibility";
import type { Choice, MisconceptionAnswer, Template, Why } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { handshakeLab, journeyFor, LESSON, settingsExhibit, settingsText } from "./shared";

/**
 * Which devices read the browser's HTTP request in plaintext: the visibility model's rows for the
 * terminators and the Pod, read off the flagship trace. The flagship's `tls-at-pod` wrong model is run
 * for the misconception answer (only the Pod decrypts).
 */
const ID = "who-decrypts";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { cloudflare: "on", "origin-protection": "none", "origin-cert": "certificate-manager" };
  const r = seededRandom(seed);
  const cloudflare = pick(r, ["on", "on", "off", "bypassed"]);
  // Without the proxy, only settings under which the client's own handshake completes: someone must read the request.
  return cloudflare === "on"
    ? { cloudflare, "origin-protection": pick(r, ["none", "cloud-armor", "mtls"]), "origin-cert": pick(r, ["certificate-manager", "certificate-manager", "origin-ca", "managed-proxied"]) }
    : { cloudflare, "origin-protection": pick(r, ["none", "cloud-armor"]), "origin-cert": pick(r, cloudflare === "bypassed" ? ["certificate-manager", "origin-ca"] : ["certificate-manager", "managed-issued-dns-only"]) };
}

const PARTIES = [
  { id: "cf-edge", party: "cloudflare", text: "Cloudflare's edge", step: "request:cf-edge" },
  { id: "gfe", party: "gfe", text: "Google's GFE", step: "request:gfe" },
  { id: "pod", party: "pod", text: "The Pod", step: "request:pod" },
  { id: "maglev", party: null, text: "Maglev", step: "request:maglev" },
  { id: "isp", party: "user-path", text: "The user's ISP", step: "request:isp-router" },
] as const;

function decrypting(p: Record<string, string>, model: string | null): string[] {
  const rows = whoCanRead(journeyFor(p, model));
  return PARTIES.filter((x) => x.party !== null && readsOf(rows, x.party as PartyId).includes("http")).map((x) => x.id);
}

export const whoDecrypts: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "Who reads the request in plaintext",
  lesson: LESSON,
  concepts: ["tls-termination", "gfe", "url-map", "cdn-proxy"],
  file: "src/quiz/bank/handshake/who-decrypts.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const j = journeyFor(p);
    const key = decrypting(p, null);
    if (key.length === 0) throw new Error(`${ID}: nobody reads the request for ${JSON.stringify(p)}`);
    const rows = whoCanRead(j);
    const cell = (party: string | null) => (party === null ? null : rows.find((r) => r.party === party)!.cells.http);
    const whys: Record<string, Why> = Object.fromEntries(PARTIES.map((x) => {
      const c = cell(x.party);
      const text = x.id === "maglev"
        ? "Maglev is an L4 balancer: it forwards packets by their 5-tuple, encapsulated, and holds no TLS key."
        : `${key.includes(x.id) ? "Reads it" : "Does not"}: ${c?.text ?? ""}`;
      return [x.id, { why: text, step: x.step }];
    }));
    const misconceptions: MisconceptionAnswer<"multiple-choice">[] = [];
    const believed = decrypting(p, "tls-at-pod");
    if (believed.length > 0 && JSON.stringify([...believed].sort()) !== JSON.stringify([...key].sort())) misconceptions.push({ misconception: "tls-at-pod", answer: { choices: believed } });
    const choices: Choice[] = PARTIES.map((x) => ({ id: x.id, text: x.text }));
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt: `The flagship request runs with these settings — ${settingsText(p)}. Which of these read the browser's HTTP request (method, path, headers) in plaintext? Choose all that apply.`,
      exhibits: [settingsExhibit(p)],
      view: { options: orderedChoices(orderRandom(seed, ID), choices) },
      key: { choices: key },
      rubric: { options: whys },
      misconceptions,
      hints: [
        "A device can read HTTP only if it holds the keys of the TLS session the request travels in, or the hop carries plain HTTP.",
        "Which devices must look at the Host and path to do their job?",
      ],
      explanation:
        `${j.outcome} Every proxy that terminates TLS reads the request in full: ${j.hops.filter((h) => h.ordinal !== null).map((h) => h.server.name).join(" and ") || "none here"}. ` +
        "The GFE must, to apply the URL map (Host and path) and Cloud Armor; the Pod gets plain HTTP from the GFE. L4 devices and routers on the way see only ciphertext and headers they forward by.",
      lab: handshakeLab(p),
    };
  },
};
