import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the rpki system the grader recognises; each id is a mode of its simulator:
 * `maxlength-ignored` is `RovModel` "maxlength-ignored" in src/sim/rpki/rov.ts, and
 * `rov-checks-path` and `depref-stops-hijack` are `HijackModel`s of src/sim/rpki/hijacks.ts.
 */
export const RPKI_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "rov-checks-path",
    name: "ROV checks the whole path",
    belief: "Route-origin validation proves the route really came from the network that owns the prefix, so an attacker who puts the owner's ASN at the end of the path is caught.",
    whyWrong:
      "ROV compares one number — the right-most ASN of the AS_PATH — with the VRPs. Nothing in an ordinary BGP update is signed, so an attacker can end the path with the owner's ASN and the route is Valid. Checking the path itself needs ASPA (provider authorisations) or BGPsec (RFC 8205), neither widely deployed.",
  },
  {
    id: "maxlength-ignored",
    name: "A ROA covers every more-specific",
    belief: "A ROA for a /16 authorises its AS to announce any smaller block inside it, whatever the maxLength.",
    whyWrong:
      "RFC 6811 §2 makes a route Valid only if its length is at most the VRP's maxLength. A /24 under a ROA for 34.98.0.0/16 with maxLength 16 is Invalid even from the right AS — which is exactly why a minimal ROA (RFC 9319) stops a forged-origin sub-prefix hijack that a loose maxLength lets through.",
  },
  {
    id: "depref-stops-hijack",
    name: "Lowering an Invalid route's preference is as good as dropping it",
    belief: "A network that gives Invalid routes a lower local-pref is as safe as one that drops them.",
    whyWrong:
      "Preference only decides between routes for the same prefix. A sub-prefix hijack announces a longer prefix that has no competitor in the BGP table; the router keeps it (deprioritised against nothing) and longest-prefix match in the FIB sends the traffic to it. Only dropping Invalid routes stops it.",
  },
];
