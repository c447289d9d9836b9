// The course's Open Graph card: public/og-card.png, 1200 × 630, the image a link preview shows (Base.astro's
// og:image and twitter:image).
//
//   npx tsx scripts/og-card.ts        (npm run screenshots runs it first)
//
// The card is an HTML page rendered by Debian's Chromium (CHROMIUM_PATH overrides it): the course's name, one
// line of what it is, and the journey's request hops as the simulator computes them with the flagship
// scenario's defaults — so if the journey gains or loses a device, the next run draws it. The page is set as
// content, with no network: nothing is fetched.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { computeTrace } from "../src/sim/index";
import { CHROMIUM, launchChromium } from "./chromium";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const OG_CARD = join(ROOT, "public", "og-card.png");
export const WIDTH = 1200;
export const HEIGHT = 630;

/** One device on the card: routers are drawn as dots on the line, everything else as a labelled box. */
export interface CardHop {
  readonly label: string;
  readonly place: string;
  readonly router: boolean;
  /** Who runs it, for the band behind it. */
  readonly owner: "user" | "cloudflare" | "google" | "cluster";
}

/** The label a device kind gets on the card (short: eleven hops share 1,100 pixels). */
const LABELS: Record<string, string> = {
  client: "Browser",
  "xdp-lb": "Unimog",
  "cdn-edge": "Cloudflare edge",
  "l4-lb": "Maglev",
  gfe: "GFE",
  "sdn-fabric": "Backbone",
  node: "GKE node",
  pod: "Pod",
};
const OWNERS: Record<string, CardHop["owner"]> = {
  client: "user",
  "xdp-lb": "cloudflare",
  "cdn-edge": "cloudflare",
  "l4-lb": "google",
  gfe: "google",
  "sdn-fabric": "google",
  node: "cluster",
  pod: "cluster",
};
const PLACES: Record<string, string> = { paris: "Paris", "council-bluffs": "Iowa" };

/** The request's hops, from the simulator's trace of the flagship journey with its default settings. */
export function cardHops(): CardHop[] {
  const trace = computeTrace("cloudflare-gke");
  return trace.hops
    .filter((hop) => hop.direction === "request")
    .map((hop) => {
      const router = hop.device.kind === "router";
      const label = LABELS[hop.device.kind];
      if (!router && !label) throw new Error(`og-card: no label for device kind "${hop.device.kind}" (${hop.device.name}); add one to LABELS`);
      return {
        label: label ?? hop.device.name,
        place: PLACES[hop.device.location] ?? hop.device.location,
        router,
        owner: router ? "user" : (OWNERS[hop.device.kind] ?? "user"),
      };
    });
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The journey drawn as an SVG line of hops, with the stretch each company runs shaded behind it. */
function journeySvg(hops: readonly CardHop[]): string {
  const left = 70;
  const right = WIDTH - 70;
  const y = 100;
  const step = (right - left) / (hops.length - 1);
  const x = (i: number) => left + i * step;
  const bands: string[] = [];
  const bandStyle = { cloudflare: ["#f6821f", "Cloudflare"], google: ["#4285f4", "Google"], cluster: ["#34a853", "GKE cluster"] } as const;
  for (const owner of ["cloudflare", "google", "cluster"] as const) {
    const at = hops.flatMap((h, i) => (h.owner === owner ? [i] : []));
    if (at.length === 0) continue;
    const [color, name] = bandStyle[owner];
    const x0 = x(Math.min(...at)) - step * 0.45;
    const x1 = x(Math.max(...at)) + step * 0.45;
    bands.push(
      `<rect x="${x0}" y="${y - 70}" width="${x1 - x0}" height="152" rx="14" fill="${color}" fill-opacity="0.13" stroke="${color}" stroke-opacity="0.55" stroke-dasharray="6 5"/>`,
      `<text x="${x0 + 12}" y="${y - 46}" class="band" fill="${color}">${escapeHtml(name)}</text>`,
    );
  }
  const line = `<line x1="${x(0)}" y1="${y}" x2="${x(hops.length - 1)}" y2="${y}" class="wire"/>`;
  const longHaul = hops.findIndex((h, i) => i > 0 && h.place !== hops[i - 1]!.place);
  const haul =
    longHaul > 0
      ? `<line x1="${x(longHaul - 1)}" y1="${y}" x2="${x(longHaul)}" y2="${y}" class="haul"/><text x="${(x(longHaul - 1) + x(longHaul)) / 2}" y="${y + 112}" class="haul-label">${escapeHtml(`${hops[longHaul - 1]!.place} → ${hops[longHaul]!.place}, on Google's backbone`)}</text>`
      : "";
  const nodes = hops.map((hop, i) => {
    if (hop.router) return `<circle cx="${x(i)}" cy="${y}" r="7" class="router"/>`;
    const words = hop.label.split(" ");
    const label = words.length > 1 ? `<tspan x="${x(i)}" dy="0">${escapeHtml(words[0]!)}</tspan><tspan x="${x(i)}" dy="22">${escapeHtml(words.slice(1).join(" "))}</tspan>` : escapeHtml(hop.label);
    return `<g><rect x="${x(i) - 22}" y="${y - 22}" width="44" height="44" rx="9" class="device ${hop.owner}"/><text x="${x(i)}" y="${y + 50}" class="label">${label}</text></g>`;
  });
  const packet = `<circle cx="${x(0) + step * 0.5}" cy="${y}" r="9" class="packet"/>`;
  return `<svg width="${WIDTH}" height="230" viewBox="0 0 ${WIDTH} 230" xmlns="http://www.w3.org/2000/svg">${bands.join("")}${line}${haul}${nodes.join("")}${packet}</svg>`;
}

/** The card's HTML: self-contained, system fonts only. */
export function cardHtml(hops: readonly CardHop[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>
  * { box-sizing: border-box; margin: 0; }
  body { width: ${WIDTH}px; height: ${HEIGHT}px; overflow: hidden; background: #14171b; color: #e6e9ed;
    font-family: "DejaVu Sans", "Liberation Sans", system-ui, sans-serif; padding: 60px 70px 0; position: relative; }
  .kicker { color: #6cb2ff; font-size: 24px; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; }
  h1 { font-size: 92px; line-height: 1.05; margin-top: 10px; letter-spacing: -0.01em; }
  p.what { font-size: 30px; line-height: 1.3; margin-top: 18px; max-width: 1060px; color: #c9d1da; }
  svg { position: absolute; left: 0; bottom: 16px; }
  svg text { font-family: inherit; }
  .wire { stroke: #a9b2bd; stroke-width: 4; }
  .haul { stroke: #6cb2ff; stroke-width: 6; stroke-dasharray: 14 8; }
  .haul-label { fill: #6cb2ff; font-size: 19px; font-weight: 700; text-anchor: end; }
  .router { fill: #14171b; stroke: #a9b2bd; stroke-width: 4; }
  .device { fill: #1b1f24; stroke-width: 4; }
  .device.user { stroke: #e6e9ed; }
  .device.cloudflare { stroke: #f6821f; }
  .device.google { stroke: #4285f4; }
  .device.cluster { stroke: #34a853; }
  .label { fill: #e6e9ed; font-size: 19px; font-weight: 700; text-anchor: middle; }
  .band { font-size: 17px; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; }
  .packet { fill: #6cb2ff; }
</style></head><body>
  <div class="kicker">An interactive networking course</div>
  <h1>Packet Lab</h1>
  <p class="what">Hop-by-hop labs and interview drills: one HTTPS request, ${hops.length} hops from a browser via Cloudflare and Google's edge into a GKE Pod.</p>
  ${journeySvg(hops)}
</body></html>`;
}

/**
 * Renders the card with Chromium and writes public/og-card.png — only when its bytes changed, so an unchanged
 * card leaves public/ untouched and `npm run screenshots` does not rebuild the site for it. Resolves true when
 * it wrote the file.
 */
export async function renderOgCard(out = OG_CARD): Promise<boolean> {
  const browser = await launchChromium().catch((error: Error) => {
    throw new Error(`Chromium at ${CHROMIUM} did not start: ${error.message.split("\n")[0]}`);
  });
  try {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    // The card is given as content; anything it tried to fetch would be a mistake.
    await context.route("**/*", (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(cardHtml(cardHops()), { waitUntil: "load" });
    const png = await page.screenshot({ type: "png", clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT }, animations: "disabled" });
    if (existsSync(out) && readFileSync(out).equals(png)) return false;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, png);
    return true;
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  renderOgCard().then(
    (wrote) => console.log(`og-card: ${OG_CARD.slice(ROOT.length)} (${WIDTH} × ${HEIGHT}) ${wrote ? "written" : "unchanged"}`),
    (error: unknown) => {
      console.error(`og-card: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
