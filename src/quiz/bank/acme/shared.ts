import { readIdentifier } from "../../../sim/tls/acme/challenge";
import { parseAccountJwk } from "../../../sim/tls/acme/jwk";
import { SAMPLE_KEYS, SAMPLE_TOKEN } from "../../../sim/tls/acme/sample-keys";
import { runCaCheck, type CaCheckInput, type CaModel } from "../../../sim/tls/acme/scenarios";
import type { LabLink } from "../../engine/types";

export const LESSON = "why-a-certificate-cannot-be-forged";
export const LESSON_PAGE = `/lessons/${LESSON}/`;
export const LAB_ID = "acme";
/** The lab's default name: its check runs on it, so a question's trace and the lab's agree. */
export const LAB_DOMAIN = "shop.example.com";

/** The account key every question's trace uses (the lab's first sample key). */
export const QUIZ_ACCOUNT = parseAccountJwk(JSON.stringify(SAMPLE_KEYS[0]!.jwk));

/** The CA's check as the lab computes it for these settings (and, with `model`, under a wrong model). */
export function labCheck(settings: Pick<CaCheckInput, "scenario" | "challenge" | "caa" | "issuer">, model: CaModel = "rfc") {
  return runCaCheck({ ...settings, identifier: readIdentifier(LAB_DOMAIN), token: SAMPLE_TOKEN, thumbprint: QUIZ_ACCOUNT.thumbprint, model });
}

/** A link that opens the lab on these settings. */
export function labLink(settings: Pick<CaCheckInput, "scenario" | "challenge" | "caa" | "issuer">): LabLink {
  return {
    page: LESSON_PAGE,
    lab: LAB_ID,
    query: { [`${LAB_ID}.scenario`]: settings.scenario, [`${LAB_ID}.challenge`]: settings.challenge, [`${LAB_ID}.caa`]: settings.caa, [`${LAB_ID}.ca`]: settings.issuer },
  };
}
