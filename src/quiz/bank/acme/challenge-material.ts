import { challengeMaterial, dns01, readIdentifier } from "../../../sim/tls/acme/challenge";
import { parseAccountJwk } from "../../../sim/tls/acme/jwk";
import { SAMPLE_KEYS } from "../../../sim/tls/acme/sample-keys";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { pick } from "../draw";
import { LAB_ID, LESSON, LESSON_PAGE } from "./shared";

/**
 * Where the dns-01 record goes (and, for a single name, what the http-01 file holds): read off
 * src/sim/tls/acme/challenge.ts. The `wildcard-record-name` wrong model keeps "*." in the record name.
 */
const ID = "challenge-material";
const NAMES = ["shop.example.com", "*.example.com", "api.eu.example.net", "*.staging.example.org", "example.com", "*.shop.example.com", "www.example.org"];
const TOKENS = ["evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0", "DGyRejmCefe7v4NfDGDKfA", "IlirfxKKXAsHtmzK29Pj8A"];

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { name: 1, key: 0, token: 0 };
  const r = seededRandom(seed);
  return { name: Math.floor(r() * NAMES.length), key: Math.floor(r() * SAMPLE_KEYS.length), token: pick(r, [0, 1, 2, 3]) };
}

export const challengeMaterialTemplate: Template<"fill-in"> = {
  id: ID,
  kind: "fill-in",
  title: "Where the challenge goes",
  lesson: LESSON,
  concepts: ["acme", "dns-delegation"],
  file: `src/quiz/bank/acme/${ID}.ts`,
  params,
  variant(seed) {
    const p = params(seed);
    const name = NAMES[p.name as number]!;
    const key = SAMPLE_KEYS[p.key as number]!;
    const token = TOKENS[p.token as number]!;
    const account = parseAccountJwk(JSON.stringify(key.jwk));
    const identifier = readIdentifier(name);
    const m = challengeMaterial(identifier, token, account.thumbprint);
    const record = m.dns01!;
    const fields = [
      { id: "record", label: "TXT record name for dns-01", type: "name" as const, placeholder: "_acme-challenge.host.example.net" },
      ...(m.http01 ? [{ id: "body", label: "Body of the http-01 file", type: "text" as const, placeholder: "token.thumbprint" }] : []),
    ];
    const key_ = { fields: { record: record.name, ...(m.http01 ? { body: m.http01.body } : {}) } };
    const wrongName = dns01(identifier, m.keyAuthorization, "wildcard-record-name")!.name;
    const rubric = {
      record: { why: `${identifier.wildcard ? `An order for ${name} is authorised at ${identifier.value} (RFC 8555 §7.1.4), so` : "RFC 8555 §8.4:"} the record is _acme-challenge. followed by the authorization's name: ${record.name}. Its value is base64url(SHA-256(key authorization)), ${record.value}.`, step: null },
      ...(m.http01 ? { body: { why: `The body is the key authorization itself — token, ".", thumbprint — not its hash (RFC 8555 §8.3): ${m.keyAuthorization}.`, step: null } } : {}),
    };
    return {
      template: ID, kind: "fill-in", seed, title: this.title,
      prompt: `An ACME client orders a certificate for ${name} with the account key shown (${key.label}). The CA's challenge carries the token ${token}.${m.http01 ? " Where does the dns-01 TXT record go, and what is the exact body of the http-01 file?" : " Where does the dns-01 TXT record go?"}`,
      exhibits: [
        { kind: "output", command: "cat account.jwk   # the account's public key", text: JSON.stringify(key.jwk, null, 2) },
        { kind: "text", text: `RFC 7638 thumbprint of that key: ${account.thumbprint}` },
      ],
      view: { fields },
      key: key_,
      rubric: { fields: rubric },
      misconceptions: misconceptionAnswers<"fill-in">(["wildcard-record-name"], () => ({ fields: { ...key_.fields, record: wrongName } }), key_),
      hints: [
        "The http-01 body and the dns-01 value are built from the same key authorization; only one of them is hashed.",
        identifier.wildcard ? "For a wildcard order, which name does the CA create the authorization for?" : "The record's name starts with a fixed label in front of the name being validated.",
      ],
      explanation:
        `The key authorization is the token, a dot and the account key's thumbprint: ${m.keyAuthorization}. ` +
        (m.http01 ? `http-01 serves exactly that at ${m.http01.url}. ` : `There is no http-01 here: CAs validate a wildcard only through DNS. `) +
        `dns-01 puts its SHA-256, base64url-encoded, in a TXT record at ${record.name}${identifier.wildcard ? ` — the base name's, since *.${identifier.value} is authorised at ${identifier.value}; a record at ${wrongName} is never queried` : ""}.`,
      lab: { page: LESSON_PAGE, lab: LAB_ID, query: { [`${LAB_ID}.challenge`]: "dns-01" } },
    };
  },
};
