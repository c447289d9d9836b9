/**
 * What the ssl-modes questions share: the lesson and lab they link to, the settings exhibit, and the
 * answers the simulator's wrong models give.
 */
import {
  ORIGIN_CERTS, ORIGIN_LISTENERS, SSL_MODES, VISITOR_SCHEMES, labelOf, type SslInput,
} from "../../../sim/tls/cloudflare-ssl/inputs";
import type { SslWrongModel } from "../../../sim/tls/cloudflare-ssl/run";
import type { AnswerOf, Exhibit, LabLink, MisconceptionAnswer, QuestionKind } from "../../engine/types";

export const LESSON = "cloudflare-ssl-modes";
export const LESSON_PAGE = "/lessons/cloudflare-ssl-modes/";
export const LAB_ID = "ssl-matrix";

/** The lab opened on this case: every key written, so the link does not depend on where the lab opens. */
export function sslLab(input: SslInput): LabLink {
  return {
    page: LESSON_PAGE,
    lab: LAB_ID,
    query: {
      [`${LAB_ID}.mode`]: input.mode,
      [`${LAB_ID}.cert`]: input.cert,
      [`${LAB_ID}.listener`]: input.listener,
      [`${LAB_ID}.visitor`]: input.visitor,
      [`${LAB_ID}.https`]: input.alwaysUseHttps ? "on" : "off",
    },
  };
}

export function settingsExhibit(input: SslInput, withMode = true): Exhibit {
  return {
    kind: "settings",
    chips: [
      ...(withMode ? [{ key: "mode", label: "SSL/TLS encryption mode", value: labelOf(SSL_MODES, input.mode) }] : []),
      { key: "cert", label: "Origin certificate", value: labelOf(ORIGIN_CERTS, input.cert) },
      { key: "listener", label: "Origin listens on", value: labelOf(ORIGIN_LISTENERS, input.listener) },
      { key: "visitor", label: "Visitor opens", value: `${labelOf(VISITOR_SCHEMES, input.visitor)}${input.host}/` },
      { key: "always-https", label: "Always Use HTTPS", value: input.alwaysUseHttps ? "on" : "off" },
    ],
  };
}

/** How a prompt names what the origin presents on port 443, and how it listens. */
export function originText(input: Pick<SslInput, "cert" | "listener">): string {
  const phrase = {
    valid: "a valid certificate from a public CA", "self-signed": "a self-signed certificate", expired: "an expired certificate",
    "wrong-host": "a certificate for another host name", "origin-ca": "a Cloudflare Origin CA certificate", none: "no certificate",
  }[input.cert];
  const cert = ORIGIN_CERTS.find((c) => c.value === input.cert)!.description;
  const ports = ORIGIN_LISTENERS.find((l) => l.value === input.listener)!.description;
  const what = `${cert[0]!.toLowerCase()}${cert.slice(1).replace(/\.$/, "")}`;
  return input.listener === "http-only"
    ? `The origin has ${phrase} (${what}), but no TLS listener. Its ports: ${ports}`
    : `The origin presents ${phrase} on port 443 (${what}). Its ports: ${ports}`;
}

/** The wrong models' answers that differ from the key (computed by running the model, never typed). */
export function wrongModelAnswers<K extends QuestionKind>(
  models: readonly SslWrongModel[], answerUnder: (model: SslWrongModel) => AnswerOf[K], key: AnswerOf[K],
): MisconceptionAnswer<K>[] {
  const out: MisconceptionAnswer<K>[] = [];
  for (const model of models) {
    const answer = answerUnder(model);
    if (JSON.stringify(answer) !== JSON.stringify(key) && !out.some((o) => JSON.stringify(o.answer) === JSON.stringify(answer))) {
      out.push({ misconception: model, answer });
    }
  }
  return out;
}
