import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the acme system the grader recognises; each id is a mode of its simulator:
 * `single-vantage-ca`, `caa-no-climb` and `issuewild-ignored` are `CaModel`s of
 * src/sim/tls/acme/scenarios.ts (the last two run src/sim/tls/acme/caa.ts's `CaaModel`), and
 * `wildcard-record-name` is the `Dns01Model` of src/sim/tls/acme/challenge.ts.
 */
export const ACME_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "single-vantage-ca",
    name: "The CA checks from one place",
    belief: "If the CA's request for the challenge file gets the right answer, the certificate is issued — so whoever wins the route to the server at that moment wins the certificate.",
    whyWrong:
      "Since ballot SC-067 (in force from 2025) a publicly trusted CA repeats domain validation and the CAA check from remote network perspectives at least 500 km apart and refuses unless enough agree. A hijack accepted only near the CA's primary data centre is outvoted; only one seen from nearly everywhere gets through.",
  },
  {
    id: "caa-no-climb",
    name: "CAA is read only at the exact name",
    belief: "A CAA record at example.com does not apply to shop.example.com unless shop.example.com has one too.",
    whyWrong:
      "RFC 8659 §3 has the CA climb from the name towards the root: when shop.example.com has no CAA, the set at example.com is the relevant one. A set at a closer name replaces the parent's entirely.",
  },
  {
    id: "issuewild-ignored",
    name: "issuewild does not matter",
    belief: "For a wildcard certificate, the issue records decide, like for any other name.",
    whyWrong:
      "RFC 8659 §4.3: when the relevant set has any issuewild property, issuewild alone decides for wildcard names — issuewild \";\" forbids wildcards even where issue allows the CA.",
  },
  {
    id: "wildcard-record-name",
    name: "The dns-01 record keeps the \"*.\"",
    belief: "For *.example.com the TXT record goes at _acme-challenge.*.example.com.",
    whyWrong:
      "An order for *.example.com is authorised at example.com with \"wildcard\": true (RFC 8555 §7.1.4), so the CA queries _acme-challenge.example.com. No CA looks up a name with \"*.\" in it.",
  },
];
