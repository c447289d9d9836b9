import { seededRandom } from "../../../sim/random";
import { handshakeMessages, observerReads } from "../../../sim/tls/handshake/messages";
import type { HandshakeModel, PartyId } from "../../../sim/tls/handshake/types";
import { readsOf, whoCanRead } from "../../../sim/tls/handshake/visibility";
import type { Choice, MisconceptionAnswer, Template, Why } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { handshakeLab, journeyFor, LESSON, settingsExhibit, settingsText } from "./shared";

/**
 * What an on-path observer reads of the journey: a capture on the user's side or between Cloudflare and
 * Google. The key is the visibility model's row for that observer, plus the chosen ALPN when the
 * observer can read EncryptedExtensions (it cannot in TLS 1.3). The wrong models `tls12-cert-in-clear`
 * and `sni-encrypted` are run and their rows read for the misconception answers.
 */
const ID = "observer-reads";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { where: "user-path", cloudflare: "on", "origin-protection": "none", connections: "cold" };
  const r = seededRandom(seed);
  const cloudflare = pick(r, ["on", "on", "off"]);
  return {
    where: cloudflare === "on" ? pick(r, ["user-path", "middle-mile"]) : "user-path",
    cloudflare,
    "origin-protection": pick(r, ["none", "mtls", "cloud-armor"]),
    connections: pick(r, ["warm", "cold"]),
  };
}

const OPTIONS = ["addresses", "sni", "certificate", "alpn", "path", "host-header", "body"] as const;
type OptionId = (typeof OPTIONS)[number];

function answer(p: Record<string, string>, model: HandshakeModel): OptionId[] {
  const { where, ...flagship } = p;
  const j = journeyFor(flagship);
  const reads = readsOf(whoCanRead(j, model), where as PartyId);
  const hop = where === "middle-mile" ? j.hops.find((h) => h.id === "cloudflare-gfe")! : j.hops[0]!;
  const alpn = observerReads(handshakeMessages(hop, model)).some((m) => m.message === "encrypted-extensions" || (m.message === "server-hello" && m.fields.some((f) => f.startsWith("application_layer"))));
  const out: OptionId[] = [];
  if (reads.includes("addresses")) out.push("addresses");
  if (reads.includes("sni")) out.push("sni");
  if (reads.includes("certificate")) out.push("certificate");
  if (alpn) out.push("alpn");
  if (reads.includes("http")) out.push("path", "host-header");
  if (reads.includes("body")) out.push("body");
  return out;
}

export const observerReadsTemplate: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "What an on-path observer reads",
  lesson: LESSON,
  concepts: ["tls-handshake", "sni", "tls-termination"],
  file: "src/quiz/bank/handshake/observer-reads.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const { where, ...flagship } = p;
    const j = journeyFor(flagship);
    const hop = where === "middle-mile" ? j.hops.find((h) => h.id === "cloudflare-gfe")! : j.hops[0]!;
    const cert = hop.certificate ? hop.certificate.names.join(", ") : "none";
    const observer = where === "middle-mile"
      ? `someone capturing packets on the path between Cloudflare (${hop.client.socket.split(":")[0]}) and Google's load balancer`
      : "the user's ISP, capturing every packet between the browser and the first server it connects to";
    const texts: Record<OptionId, string> = {
      addresses: `The source and destination addresses and ports (${hop.client.socket} → ${hop.server.socket})`,
      sni: `The host name the client asks for (${hop.sni})`,
      certificate: `Which certificate the server presents (${cert})`,
      alpn: `The application protocol the server chose (${hop.alpnChosen})`,
      path: "The URL path of the request (/)",
      "host-header": "The HTTP Host header",
      body: "The body of the response",
    };
    const key = answer(p, "tls13");
    const why = (id: OptionId): Why => {
      const yes = key.includes(id);
      const reasons: Record<OptionId, string> = {
        addresses: "IP and TCP headers are outside TLS: every router on the path reads them.",
        sni: "The server_name extension is in the ClientHello, which is sent before any key exists; only Encrypted Client Hello would hide it, and it is not in use here.",
        certificate: "TLS 1.3 sends the Certificate after ServerHello, under the handshake traffic keys; only TLS 1.2 sent it in clear.",
        alpn: "The client's offer is in clear, but the server's choice travels in EncryptedExtensions, encrypted.",
        path: "The request line is HTTP, inside the TLS session's application data.",
        "host-header": "The Host header is HTTP, encrypted inside the session; the name leaks through SNI instead.",
        body: "Bodies are application data, encrypted.",
      };
      return { why: `${yes ? "Readable" : "Not readable"}: ${reasons[id]}`, step: hop.steps[0] ?? null };
    };
    const choices: Choice[] = OPTIONS.map((id) => ({ id, text: texts[id] }));
    const misconceptions: MisconceptionAnswer<"multiple-choice">[] = [];
    for (const model of ["tls12-cert-in-clear", "sni-encrypted"] as const) {
      const a = answer(p, model);
      if (JSON.stringify([...a].sort()) !== JSON.stringify([...key].sort())) misconceptions.push({ misconception: model, answer: { choices: a } });
    }
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt: `The flagship request runs with these settings — ${settingsText(flagship)}. Consider ${observer}. Which of these can that observer read? Choose all that apply.`,
      exhibits: [settingsExhibit(flagship)],
      view: { options: orderedChoices(orderRandom(seed, ID), choices) },
      key: { choices: key },
      rubric: { options: Object.fromEntries(OPTIONS.map((id) => [id, why(id)])) },
      misconceptions,
      hints: [
        "Which messages of a TLS 1.3 handshake are sent before the two sides share any key?",
        "The observer holds no key. Everything after ServerHello is ciphertext to it.",
      ],
      explanation:
        `The observer sits between the client and the server of the ${hop.title.replace(/^Termination \d: /, "")} session and holds none of its keys. ` +
        `It reads the IP and TCP headers and the ClientHello, where the SNI ${hop.sni} travels in clear. Everything from EncryptedExtensions on is encrypted — in TLS 1.3 that includes the certificate, which TLS 1.2 sent in clear — and the HTTP request, Host header included, is application data.`,
      lab: handshakeLab(flagship, hop.id, "client-hello"),
    };
  },
};
