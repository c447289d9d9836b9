import { seededRandom } from "../../../sim/random";
import { DEFAULT_INPUT, SSL_MODES, labelOf, type OriginCert, type OriginListener, type SslInput, type SslMode, type VisitorScheme } from "../../../sim/tls/cloudflare-ssl/inputs";
import { runSslMode, type SslResult, type SslWrongModel } from "../../../sim/tls/cloudflare-ssl/run";
import type { Template } from "../../engine/types";
import { orderedChoices, orderRandom, pick, pickWeighted } from "../draw";
import { LESSON, originText, settingsExhibit, sslLab, wrongModelAnswers } from "./shared";

/**
 * Which statements hold for the visitor's last request: is each hop encrypted, did Cloudflare authenticate the
 * origin, did the request reach the origin, did it cross a hop in clear text? Read off the simulator's hops;
 * the wrong models that believe Full checks certificates or Flexible encrypts give their own sets.
 */
const ID = "ssl-hop-facts";

type FactId = "visitor-encrypted" | "origin-encrypted" | "origin-verified" | "reached-origin" | "clear-text";
const FACTS: readonly { id: FactId; text: string }[] = [
  { id: "visitor-encrypted", text: "The hop between the visitor and Cloudflare is encrypted." },
  { id: "origin-encrypted", text: "The hop between Cloudflare and the origin is encrypted." },
  { id: "origin-verified", text: "Cloudflare checked the origin's certificate and accepted it." },
  { id: "reached-origin", text: "The request reached the origin." },
  { id: "clear-text", text: "The request crossed at least one hop in clear text." },
];

function facts(r: SslResult): Record<FactId, boolean> {
  const v = r.hops.visitorEdge;
  const o = r.hops.edgeOrigin;
  return {
    "visitor-encrypted": v?.encrypted === true,
    "origin-encrypted": o?.encrypted === true,
    "origin-verified": o?.origin === "verified",
    "reached-origin": o !== null && (o.origin === "plain" || o.origin === "unverified" || o.origin === "verified"),
    "clear-text": v?.encrypted === false || o?.origin === "plain",
  };
}

const chosen = (r: SslResult) => FACTS.map((f) => f.id).filter((id) => facts(r)[id]);

function params(seed: number): Record<string, string> {
  if (seed === 0) return { mode: "flexible", cert: "valid", listener: "both", visitor: "https" };
  const r = seededRandom(seed);
  return {
    mode: pickWeighted<SslMode>(r, [["off", 1], ["flexible", 3], ["full", 4], ["strict", 3], ["origin-pull", 1]]),
    cert: pick<OriginCert>(r, ["valid", "self-signed", "expired", "wrong-host", "origin-ca", "none"]),
    listener: pickWeighted<OriginListener>(r, [["both", 4], ["https-only", 1], ["http-only", 1]]),
    visitor: pickWeighted<VisitorScheme>(r, [["https", 3], ["http", 1]]),
  };
}

const MODELS: readonly SslWrongModel[] = ["full-validates-origin", "flexible-encrypts-origin", "strict-rejects-origin-ca"];

export const sslHopFacts: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "Which hops are encrypted, and is the origin authenticated?",
  lesson: LESSON,
  concepts: ["ssl-modes", "tls-termination", "origin-protection"],
  file: "src/quiz/bank/ssl-modes/ssl-hop-facts.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input: SslInput = { ...DEFAULT_INPUT, mode: p.mode as SslMode, cert: p.cert as OriginCert, listener: p.listener as OriginListener, visitor: p.visitor as VisitorScheme };
    const result = runSslMode(input);
    const truth = facts(result);
    const key = { choices: chosen(result) };
    const hopStep = result.steps.filter((s) => s.id.endsWith("edge-to-origin")).at(-1)?.id ?? result.steps[0]!.id;
    const certStep = result.steps.find((s) => /edge-(accepts|validates|rejects)$/.test(s.id))?.id ?? hopStep;
    const reason: Record<FactId, { why: string; step: string }> = {
      "visitor-encrypted": { why: `The browser's last request used ${result.hops.visitorEdge?.scheme ?? "nothing"}://.`, step: result.steps.filter((s) => /visitor-https?$/.test(s.id)).at(-1)!.id },
      "origin-encrypted": { why: result.hops.edgeOrigin === null ? "Cloudflare never connected to the origin." : `Cloudflare went to the origin over ${result.hops.edgeOrigin.scheme} on port ${result.hops.edgeOrigin.port}${result.hops.edgeOrigin.encrypted ? ", and the TLS session was established" : result.hops.edgeOrigin.origin === "plain" ? " (plain HTTP)" : ", but no TLS session was established"}.`, step: hopStep },
      "origin-verified": { why: input.mode === "full" ? "Full never checks the origin's certificate." : truth["origin-verified"] ? "The strict check passed." : "No strict check passed on this request.", step: certStep },
      "reached-origin": { why: truth["reached-origin"] ? "The origin received an HTTP request and answered it." : `The request stopped at Cloudflare: ${result.outcome.shown}`, step: result.steps.at(-2)!.id },
      "clear-text": { why: truth["clear-text"] ? "At least one hop carried plain HTTP." : "Every hop the request crossed was TLS.", step: hopStep },
    };
    const rubric = Object.fromEntries(FACTS.map((f) => [f.id, { why: `${truth[f.id] ? "True" : "False"}: ${reason[f.id].why}`, step: reason[f.id].step }]));
    const modeName = labelOf(SSL_MODES, input.mode);
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt:
        `The zone's encryption mode is ${modeName}. ${originText(input)} ` +
        `A visitor opens ${input.visitor}://${input.host}/. For the last request the visitor's browser makes ` +
        `(after any redirects it follows), which statements are true? Choose all that apply.`,
      exhibits: [settingsExhibit(input)],
      view: { options: orderedChoices(orderRandom(seed, ID), FACTS.map((f) => ({ id: f.id, text: f.text }))) },
      key,
      rubric: { options: rubric },
      misconceptions: wrongModelAnswers<"multiple-choice">(MODELS, (m) => ({ choices: chosen(runSslMode(input, m)) }), key),
      hints: [
        "Take the hops one at a time: the visitor's connection ends at Cloudflare's edge; the origin's is a new one.",
        `Which scheme does ${modeName} use to the origin, and does it look at the certificate?`,
      ],
      explanation:
        `The visitor ends up with: ${result.outcome.shown} ` +
        `Visitor ↔ Cloudflare: ${result.hops.visitorEdge?.encrypted ? "encrypted" : "plain"}. ` +
        `Cloudflare → origin: ${result.hops.edgeOrigin === null ? "not used" : `${result.hops.edgeOrigin.scheme} on port ${result.hops.edgeOrigin.port}, ${result.hops.edgeOrigin.origin === "verified" && result.hops.edgeOrigin.encrypted ? "encrypted and the origin authenticated" : result.hops.edgeOrigin.origin === "unverified" && result.hops.edgeOrigin.encrypted ? "encrypted but the origin not authenticated" : result.hops.edgeOrigin.origin === "plain" ? "plain HTTP" : "no TLS session established"}`}. ` +
        "A padlock in the browser speaks only for the first hop.",
      lab: sslLab(input),
    };
  },
};
