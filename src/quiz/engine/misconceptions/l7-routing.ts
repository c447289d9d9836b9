import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the l7-routing system the grader recognises; each id is a `RouteModel` of
 * src/sim/kube/l7/decision.ts, run by the Ingress and Gateway matchers (src/sim/kube/l7/ingress.ts, gateway.ts).
 */
export const L7_ROUTING_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "prefix-is-string-prefix",
    name: "Prefix is a string prefix",
    belief: "A Prefix path /foo matches every path whose text starts with /foo, so /foobar goes to the /foo backend.",
    whyWrong:
      "Ingress Prefix and Gateway API PathPrefix compare the path element by element, split on '/'. /foo matches /foo, /foo/ and /foo/bar, never /foobar: 'foobar' is a different element. (A GCE URL map's /foo/* is a string prefix, but of '/foo/', which is why GKE writes /foo and /foo/* for one Prefix path.)",
  },
  {
    id: "first-rule-wins",
    name: "The first matching rule wins",
    belief: "The load balancer reads the rules top to bottom and the first one that matches takes the request.",
    whyWrong:
      "Ingress picks the longest matching path (Exact over Prefix at equal length); the Gateway API ranks every matching rule by hostname, Exact path, longest prefix, method, header count and query count. List order is only the last tie-breaker, so moving a rule up changes nothing unless two rules tie on everything else.",
  },
  {
    id: "wildcard-any-depth",
    name: "An Ingress wildcard host covers any depth",
    belief: "An Ingress host *.example.com takes a.b.example.com as well as a.example.com.",
    whyWrong:
      "In an Ingress, a wildcard host covers exactly one DNS label in front of the suffix: a.example.com, not a.b.example.com and not example.com. The Gateway API's listener and HTTPRoute hostnames are the ones where *.example.com covers several labels.",
  },
];
