import { seededRandom } from "../../../sim/random";
import { handshakeMessages } from "../../../sim/tls/handshake/messages";
import type { Choice, Template, Why } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { handshakeLab, journeyFor, LESSON, settingsExhibit, settingsText } from "./shared";

/**
 * Where a failing handshake of the flagship ends: read off the trace's `tls-alert` (through
 * `readJourneyTls`): which session fails, after which message, and who sends the alert. The four
 * options are the four places a TLS 1.3 handshake can end in this journey; exactly one holds.
 */
const ID = "where-it-fails";

const CASES: readonly Readonly<Record<string, string>>[] = [
  { cloudflare: "on", host: "a.b.example.com" },
  { cloudflare: "on", "origin-cert": "managed-proxied" },
  { cloudflare: "on", "origin-cert": "managed-issued-dns-only", host: "shop.example.com" },
  { cloudflare: "off", "origin-cert": "origin-ca" },
  { cloudflare: "off", "origin-cert": "managed-issued-dns-only", host: "shop.example.com" },
  { cloudflare: "bypassed", "origin-protection": "mtls" },
  { cloudflare: "off", "origin-protection": "mtls" },
  { cloudflare: "on", host: "shop.example.net" },
];

function params(seed: number): Record<string, string> {
  const r = seededRandom(seed);
  return { ...(seed === 0 ? CASES[0]! : pick(r, CASES)) };
}

type Where = "server-after-hello" | "client-after-server-flight" | "server-after-client-finished";

export const whereItFails: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Where the handshake fails",
  lesson: LESSON,
  concepts: ["tls-handshake", "tls-termination", "origin-protection"],
  file: "src/quiz/bank/handshake/where-it-fails.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const j = journeyFor(p);
    const hop = j.hops.find((h) => h.failure !== null);
    if (!hop?.failure) throw new Error(`${ID}: ${JSON.stringify(p)} has no failing handshake`);
    const f = hop.failure;
    const where: Where = f.after === "client-hello" ? "server-after-hello" : f.sentBy === "client" ? "client-after-server-flight" : "server-after-client-finished";
    const client = hop.client.name;
    const server = hop.server.name;
    const texts: Record<Where | "completes", string> = {
      "server-after-hello": `${server} answers the ClientHello with an alert: no ServerHello, no key, no certificate`,
      "client-after-server-flight": `${server} sends its whole flight, certificate included, and ${client} ends the handshake with an alert`,
      "server-after-client-finished": `${client} answers a CertificateRequest with an empty Certificate and its Finished, and ${server} ends the handshake with an alert`,
      completes: `Every handshake completes, and the error is an HTTP status sent inside the encrypted session`,
    };
    const messages = handshakeMessages(hop);
    const whys: Record<string, Why> = {
      "server-after-hello": { why: where === "server-after-hello" ? `Right: ${f.why} The alert ${f.alert} is the server's answer to the ClientHello, in clear.` : `The server did get past the ClientHello: the session shows ${messages.slice(1, -1).map((m) => m.name).join(", ")} before the alert.`, step: f.step },
      "client-after-server-flight": { why: where === "client-after-server-flight" ? `Right: ${f.why} The client's ${f.alert} follows the server's Finished, encrypted.` : where === "server-after-hello" ? "The server never sent a certificate for the client to judge." : "The client did not refuse the certificate; the server ended the handshake.", step: f.step },
      "server-after-client-finished": { why: where === "server-after-client-finished" ? `Right: ${f.why} With no certificate to send, the client sends an empty Certificate, and the server answers certificate_required (RFC 8446 §4.4.2.4).` : "The server asks for no client certificate here, or the handshake ended before it could.", step: f.step },
      completes: { why: `A handshake fails: ${hop.title.replace(/^Termination \d: /, "")} ends with ${f.alert}, so no request travels on it.`, step: f.step },
    };
    const choices: Choice[] = (["server-after-hello", "client-after-server-flight", "server-after-client-finished", "completes"] as const).map((id) => ({ id, text: texts[id] }));
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `The flagship request runs with these settings — ${settingsText(p)}. The TLS session between ${client} and ${server} fails. Where does its handshake end?`,
      exhibits: [settingsExhibit(p)],
      view: { options: orderedChoices(orderRandom(seed, ID), choices) },
      key: { choice: where },
      rubric: { options: whys },
      misconceptions: [],
      hints: [
        "Which certificate would the server present for this name, and does it have one at all?",
        "A server with nothing to present cannot send ServerHello's flight; a client that dislikes what it was shown answers after it.",
      ],
      explanation:
        `In the trace, ${hop.title.replace(/^Termination \d: /, "the session from ")} ends with ${f.alert} from the ${f.sentBy}. ${f.why} ` +
        (where === "server-after-hello"
          ? "No key exists yet, so the alert is readable on the path."
          : "Everything after ServerHello is encrypted, alerts included, so an observer sees only a short record and the connection closing.") +
        ` ${j.outcome}`,
      lab: handshakeLab(p, hop.id, "alert"),
    };
  },
};
