import { seededRandom } from "../../../sim/random";
import { DEFAULT_INPUT, SSL_MODES, labelOf, type OriginCert, type OriginListener, type SslInput, type SslMode, type VisitorScheme } from "../../../sim/tls/cloudflare-ssl/inputs";
import { runSslMode, type SslResult, type SslWrongModel } from "../../../sim/tls/cloudflare-ssl/run";
import type { Template } from "../../engine/types";
import { orderedChoices, orderRandom, pick, pickWeighted } from "../draw";
import { LESSON, originText, settingsExhibit, sslLab, wrongModelAnswers } from "./shared";

/**
 * What does the visitor see? A zone's encryption mode, the origin's certificate and listener, the scheme the
 * visitor types — and the outcome the simulator reaches: a page over HTTPS or HTTP, 521, 525, 526, or the
 * redirect loop. Every wrong model's outcome is among the options (502 included, the source material's claim).
 */
const ID = "ssl-visitor-sees";

const OUTCOMES = [
  { id: "page-https", text: "The site's page (200 OK) over https://" },
  { id: "page-http", text: "The site's page (200 OK) over plain http://" },
  { id: "521", text: "Cloudflare's error 521: web server is down" },
  { id: "525", text: "Cloudflare's error 525: SSL handshake failed" },
  { id: "526", text: "Cloudflare's error 526: invalid SSL certificate" },
  { id: "502", text: "502 Bad Gateway" },
  { id: "loop", text: "ERR_TOO_MANY_REDIRECTS (a redirect loop)" },
] as const;
type OutcomeId = (typeof OUTCOMES)[number]["id"];

export function outcomeId(r: SslResult): OutcomeId {
  if (r.outcome.kind === "redirect-loop") return "loop";
  if (r.outcome.kind === "page") return r.finalUrl.startsWith("https:") ? "page-https" : "page-http";
  return String(r.outcome.code) as OutcomeId;
}

function params(seed: number): Record<string, string> {
  if (seed === 0) return { mode: "strict", cert: "self-signed", listener: "both", visitor: "https" };
  const r = seededRandom(seed);
  return {
    mode: pickWeighted<SslMode>(r, [["off", 1], ["flexible", 3], ["full", 4], ["strict", 4], ["origin-pull", 1]]),
    cert: pick<OriginCert>(r, ["valid", "self-signed", "expired", "wrong-host", "origin-ca", "none"]),
    listener: pickWeighted<OriginListener>(r, [["both", 3], ["https-only", 2], ["http-only", 1]]),
    visitor: pickWeighted<VisitorScheme>(r, [["https", 3], ["http", 1]]),
  };
}

const MODELS: readonly SslWrongModel[] = ["self-signed-502", "full-validates-origin", "flexible-encrypts-origin", "strict-rejects-origin-ca"];

export const sslVisitorSees: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "What does the visitor see?",
  lesson: LESSON,
  concepts: ["ssl-modes", "cdn-proxy", "tls-termination"],
  file: "src/quiz/bank/ssl-modes/ssl-visitor-sees.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input: SslInput = { ...DEFAULT_INPUT, mode: p.mode as SslMode, cert: p.cert as OriginCert, listener: p.listener as OriginListener, visitor: p.visitor as VisitorScheme };
    const result = runSslMode(input);
    const key = { choice: outcomeId(result) };
    const decisive = result.steps.at(-2)!;
    const modeName = labelOf(SSL_MODES, input.mode);
    const whyNot: Record<OutcomeId, string> = {
      "page-https": "a page over HTTPS needs every step to succeed and the browser to end on https://",
      "page-http": "only Off (or an HTTP visitor nobody upgrades) ends on plain http://",
      "521": "521 means the origin refused the connection on the port the mode uses",
      "525": "525 means a TLS handshake with the origin failed outright — there was no certificate to judge",
      "526": "526 comes only from Full (strict) or Strict (SSL-Only Origin Pull) refusing a certificate",
      "502": "Cloudflare never answers 502 for an origin certificate: it has 525 and 526 for TLS trouble",
      loop: "a loop needs a plain-HTTP request to an origin that redirects HTTP to HTTPS",
    };
    const rubric = Object.fromEntries(OUTCOMES.map((o) => [o.id, o.id === key.choice
      ? { why: `Right: ${result.outcome.shown} ${decisive.why}`, step: decisive.id }
      : { why: `Not this: ${whyNot[o.id]}. Here: ${result.outcome.shown}`, step: null }]));
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `A zone's SSL/TLS encryption mode is ${modeName}. ${originText(input)} ` +
        `A visitor opens ${input.visitor}://${input.host}/. What does the visitor end up seeing?`,
      exhibits: [settingsExhibit(input)],
      view: { options: orderedChoices(orderRandom(seed, ID), OUTCOMES.map((o) => ({ id: o.id, text: o.text }))) },
      key,
      rubric: { options: rubric },
      misconceptions: wrongModelAnswers<"single-choice">(MODELS, (m) => ({ choice: outcomeId(runSslMode(input, m)) }), key),
      hints: [
        `Which scheme and port does ${modeName} use towards the origin for a visitor who typed ${input.visitor}://?`,
        input.mode === "full" ? "How much of the origin's certificate does Full look at?" : "Does the origin answer on that port, and with what?",
      ],
      explanation: `${result.steps.map((s) => s.what).slice(0, -1).join(" ")} So the visitor sees: ${result.outcome.shown}`,
      lab: sslLab(input),
    };
  },
};
