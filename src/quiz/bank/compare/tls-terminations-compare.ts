import { computeTrace } from "../../../sim/index";
import { requestEvents } from "../../../sim/edge/compare-read";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import { CITIES, misconceptionAnswers, REGION_NAMES, settingsExhibit, siteName, type Params } from "../journey/shared";
import type { SiteId } from "../../../sim/index";
import { cachedComparison, compareLab, LESSON } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * How many TLS terminations the request meets proxied and after the switch to DNS only, read from the
 * comparison's two traces. Most variants keep a publicly trusted certificate on the load balancer
 * (two become one); some carry Cloudflare's Origin CA certificate, which browsers refuse once they
 * meet it directly — then no session completes without the proxy. The tls-at-pod model's answer is
 * the count under that model: the browser's session ends at the Pod, on either path.
 */
const ID = "tls-terminations-compare";

function params(seed: number): Params {
  if (seed === 0) return { city: "paris", region: "us-central1", "origin-cert": "certificate-manager" };
  const random = seededRandom(seed);
  return {
    city: pick(random, CITIES),
    region: pick(random, REGION_NAMES),
    "origin-cert": pick(random, ["certificate-manager", "certificate-manager", "origin-ca"]),
  };
}

const pairId = (a: number, b: number) => `${a}-${b}`;
const pairText = (a: number, b: number) => `${a} proxied, ${b} with DNS only`;

export const tlsTerminationsCompare: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "TLS terminations with and without Cloudflare",
  lesson: LESSON,
  concepts: ["tls-termination", "cdn-proxy", "gfe"],
  file: "src/quiz/bank/compare/tls-terminations-compare.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const c = cachedComparison(p);
    const a = c.figures.tlsWith;
    const b = c.figures.tlsWithout;
    const tls = c.rows.find((r) => r.id === "tls")!;
    const certs = c.rows.find((r) => r.id === "certificates")!;
    const under = (model: string) => (cloudflare: string) => requestEvents(computeTrace("cloudflare-gke", { ...c.params, cloudflare }, 0, model), "tls-terminate").length;
    const believed = { a: under("tls-at-pod")("on"), b: under("tls-at-pod")("off") };
    // The key, the tls-at-pod belief, and the other counts people give, all distinct.
    const counts: [number, number][] = [[a, b], [believed.a, believed.b], [2, 2], [1, 1], [3, 2], [2, 1], [2, 0]];
    const seen = new Set<string>();
    const pairs = counts.filter(([x, y]) => (seen.has(pairId(x, y)) ? false : (seen.add(pairId(x, y)), true))).slice(0, 5);
    const options: Choice[] = orderedChoices(orderRandom(seed, ID), pairs.map(([x, y]) => ({ id: pairId(x, y), text: pairText(x, y) })));
    const key = { choice: pairId(a, b) };
    const refused = b < a - 1;
    const whys: Record<string, Why> = Object.fromEntries(pairs.map(([x, y]) => {
      const id = pairId(x, y);
      if (id === key.choice) return [id, { why: `Read off the traces: proxied, ${tls.with.text}. With DNS only: ${tls.without.text}.${refused ? ` ${certs.without.text}` : ""}`, step: tls.with.steps[0] ?? null }];
      if (x === believed.a && y === believed.b) return [id, { why: "That is the belief that the browser's TLS session runs to the Pod, proxied or not. But Cloudflare's edge must decrypt to run its WAF and cache, and the GFE must decrypt to apply the URL map.", step: "request:gfe" }];
      return [id, { why: x !== a ? `Proxied, the request meets ${a}: ${tls.with.text}.` : `With DNS only, the request meets ${b}: ${tls.without.text}.`, step: x !== a ? tls.with.steps[0] ?? null : tls.without.steps[0] ?? null }];
    }));
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `www.example.com runs on GKE in ${p.region} behind the classic Application Load Balancer, and its record is proxied by Cloudflare (SSL mode Full (strict)). ` +
        `For a browser in ${siteName(p.city as SiteId)}, how many TLS sessions are terminated on the way to the Pod — proxied, and after the record is switched to DNS only?`,
      exhibits: [settingsExhibit(p, ["city", "region", "origin-cert"])],
      view: { options },
      key,
      rubric: { options: whys },
      misconceptions: misconceptionAnswers<"single-choice">(["tls-at-pod"], () => ({ choice: pairId(believed.a, believed.b) }), key),
      hints: [
        "Which devices have to read the HTTP request — its Host, its path — to do their job?",
        "Without the proxy, the load balancer's certificate faces browsers. Would a browser accept it?",
      ],
      explanation:
        `Every proxy that reads HTTP must end the TLS session in front of it. Proxied, that is Cloudflare's edge (WAF, cache) and then the GFE (URL map): ${a}. ` +
        (refused
          ? `With DNS only the browser meets the load balancer's certificate itself, and refuses it: ${certs.without.text} No session completes.`
          : `With DNS only Cloudflare's edge is gone and the GFE's termination remains: ${b}. The GFE must still decrypt, whoever the client is.`),
      lab: compareLab(p),
    };
  },
};
