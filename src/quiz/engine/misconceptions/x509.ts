import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the x509 system the grader recognises; each id is a `NameModel` of the X.509 engine
 * (src/sim/tls/x509/types.ts) that `matchReferenceId` and `validatePath` run: the answer a template names under
 * one of them is what the engine gives with `nameModel` set to it.
 */
export const X509_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "cn-fallback",
    name: "The Common Name is the certificate's host name",
    belief: "A certificate whose subject says CN=www.example.com is valid for www.example.com, whatever its subjectAltName holds.",
    whyWrong:
      "RFC 9525 §6 (like RFC 6125 before it for certificates that carry a SAN) matches the host only against subjectAltName entries; the Common Name is not consulted at all. Chrome dropped the CN fallback in version 58 (2017), and the CA/Browser Forum requires every name to be in the SAN. OpenSSL's hostname check still falls back to the CN when there is no DNS SAN, which is why the mistake survives in scripts.",
  },
  {
    id: "partial-wildcard",
    name: "A wildcard can stand for part of a label",
    belief: "A name like w*.example.com covers web.example.com and www.example.com, as a shell glob would.",
    whyWrong:
      "RFC 9525 §6.3 allows the wildcard only as the complete left-most label (*.example.com); a partial label such as w*.example.com matches nothing. OpenSSL's default still accepts partial wildcards unless its caller sets X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, and browsers refuse them.",
  },
  {
    id: "multi-label-wildcard",
    name: "A wildcard covers every subdomain",
    belief: "*.example.com covers a.b.example.com too — any name that ends in .example.com.",
    whyWrong:
      "The wildcard stands for exactly one label (RFC 9525 §6.3): *.example.com covers www.example.com but neither a.b.example.com nor example.com itself. A site that needs deeper names or the apex lists them, or *.b.example.com, as further subjectAltName entries.",
  },
];
