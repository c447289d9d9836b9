import { seededRandom } from "../../../sim/random";
import { DEFAULT_INPUT, SSL_MODES, labelOf, type OriginCert, type OriginListener, type SslInput, type SslMode } from "../../../sim/tls/cloudflare-ssl/inputs";
import { runSslMode, type SslWrongModel } from "../../../sim/tls/cloudflare-ssl/run";
import type { Template } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { LESSON, originText, settingsExhibit, sslLab, wrongModelAnswers } from "./shared";

/**
 * The most protective mode that still serves the page: try the modes a non-Enterprise zone can choose, most
 * protective first (Full (strict), Full, Flexible, Off), against this origin, for a visitor on https://; the
 * answer is the first that ends in a page. Under a wrong model the same search stops elsewhere.
 */
const ID = "ssl-strongest-mode";

/** Most protective first; Strict (SSL-Only Origin Pull) is Enterprise-only and left out of the question. */
const ORDER: readonly SslMode[] = ["strict", "full", "flexible", "off"];

function strongest(input: Omit<SslInput, "mode">, model: SslWrongModel | null = null): SslMode | "none" {
  return ORDER.find((mode) => runSslMode({ ...input, mode }, model).outcome.kind === "page") ?? "none";
}

function params(seed: number): Record<string, string> {
  if (seed === 0) return { cert: "origin-ca", listener: "both" };
  const r = seededRandom(seed);
  return {
    cert: pick<OriginCert>(r, ["valid", "self-signed", "expired", "wrong-host", "origin-ca", "none"]),
    listener: pick<OriginListener>(r, ["both", "https-only", "http-only"]),
  };
}

const MODELS: readonly SslWrongModel[] = ["strict-rejects-origin-ca", "full-validates-origin", "flexible-encrypts-origin"];

export const sslStrongestMode: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "The most protective mode that still works",
  lesson: LESSON,
  concepts: ["ssl-modes", "origin-protection"],
  file: "src/quiz/bank/ssl-modes/ssl-strongest-mode.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const base = { ...DEFAULT_INPUT, cert: p.cert as OriginCert, listener: p.listener as OriginListener, visitor: "https" as const };
    const answer = strongest(base);
    const key = { choice: answer };
    const outcomeOf = (mode: SslMode) => runSslMode({ ...base, mode });
    const options = [
      ...ORDER.map((m) => ({ id: m, text: labelOf(SSL_MODES, m) })),
      { id: "none", text: "None of them: the site cannot be served until the origin changes" },
    ];
    const rubric = Object.fromEntries(options.map((o) => {
      if (o.id === "none") return [o.id, { why: answer === "none" ? "Right: every mode fails against this origin." : `Not this: ${labelOf(SSL_MODES, answer as SslMode)} serves the page.`, step: null }];
      const r = outcomeOf(o.id as SslMode);
      const stronger = ORDER.slice(0, ORDER.indexOf(o.id as SslMode));
      const why = o.id === answer
        ? `Right: ${labelOf(SSL_MODES, o.id as SslMode)} ends in ${r.outcome.status ?? r.outcome.short}, and every more protective mode fails (${stronger.map((m) => `${labelOf(SSL_MODES, m)}: ${outcomeOf(m).outcome.status ?? outcomeOf(m).outcome.short}`).join("; ") || "none is stronger"}).`
        : r.outcome.kind === "page"
          ? `Not this: it works (${r.outcome.status}), but ${labelOf(SSL_MODES, answer as SslMode)} works too and protects more.`
          : `Not this: it ends in ${r.outcome.status ?? r.outcome.short}.`;
      return [o.id, { why, step: r.steps.at(-2)!.id }];
    }));
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `${originText(base)} ` +
        `Visitors use https://${base.host}/. Of the encryption modes a non-Enterprise zone can choose, which is the most protective one under which visitors still get the page?`,
      exhibits: [settingsExhibit({ ...base, mode: "strict" }, false)],
      view: { options: orderedChoices(orderRandom(seed, ID), options) },
      key,
      rubric: { options: rubric },
      misconceptions: wrongModelAnswers<"single-choice">(MODELS, (m) => ({ choice: strongest(base, m) }), key),
      hints: [
        "Start from the most protective mode and walk down: what would each one do with this origin?",
        "Which certificates does the strictest mode accept — and which port does each mode use to reach the origin?",
      ],
      explanation:
        ORDER.map((m) => `${labelOf(SSL_MODES, m)}: ${outcomeOf(m).outcome.status ?? outcomeOf(m).outcome.short}.`).join(" ") +
        (answer === "none" ? " No mode serves the page." : ` The first that serves the page, most protective first, is ${labelOf(SSL_MODES, answer)}.`),
      lab: sslLab({ ...base, mode: answer === "none" ? "strict" : answer }),
    };
  },
};
