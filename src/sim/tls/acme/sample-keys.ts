/**
 * Public example keys from the RFCs (and certbot's test key), for the lab's key picker and the
 * questions. Public members only: none of these is, or should become, a real account's key.
 */
export interface SampleKey {
  readonly id: string;
  readonly label: string;
  readonly jwk: Readonly<Record<string, string>>;
}

export const SAMPLE_KEYS: readonly SampleKey[] = [
  {
    id: "rfc7515-p256",
    label: "EC P-256 (RFC 7515 Appendix A.3 example)",
    jwk: { kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" },
  },
  {
    id: "rfc7638-rsa",
    label: "RSA 2048 (RFC 7638 §3.1 example)",
    jwk: {
      kty: "RSA",
      n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
      e: "AQAB",
      alg: "RS256",
      kid: "2011-04-29",
    },
  },
  { id: "rfc8037-ed25519", label: "Ed25519 (RFC 8037 Appendix A example)", jwk: { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" } },
  {
    id: "certbot-rsa512",
    label: "RSA 512 (certbot's test key: far too weak for real use)",
    jwk: { kty: "RSA", n: "rHVztFHtH92ucFJD_N_HW9AsdRsUuHUBBBDlHwNlRd3fp580rv2-6QWE30cWgdmJS86ObRz6lUTor4R0T-3C5Q", e: "AQAB" },
  },
];

/** certbot's test token (acme-certbot.json): 43 characters, as Let's Encrypt's are. */
export const SAMPLE_TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";

export const sampleKeyText = (key: SampleKey): string => JSON.stringify(key.jwk, null, 2);
