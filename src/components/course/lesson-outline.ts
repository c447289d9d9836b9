import { LABS_WITH_IDS, TABLES, WIDGETS } from "../registry";

/**
 * A lesson's outline — its sections and the labs and questions inside each — read from the MDX source
 * and the headings Astro rendered, so the course map and the lesson's table of contents follow the
 * lesson as written: move a lab, add a section, and both change with the next build.
 */

/** A heading as `render()` returns it. */
export interface RenderedHeading {
  readonly depth: number;
  readonly slug: string;
  readonly text: string;
}

/** A widget embedded in a lesson, as its tag reads in the source. */
export interface LessonWidget {
  /** "lab" for anything a learner steps through or explores; "question" for a graded question. */
  readonly kind: "lab" | "question";
  /** The MDX tag name: `TraceLab`, `KubeLab`, `TraceQuestion` … */
  readonly tag: string;
  /** The widget's heading: its `title` attribute, or the heading the component gives itself. */
  readonly title: string;
  /** The `labId` attribute, when the widget has one. */
  readonly labId?: string;
  /**
   * Where a link to it points on the lesson page: `lab-<labId>` (the lab's own anchor, the one
   * permalinks use), or — for a widget without a labId — the section that holds it.
   */
  readonly anchor: string;
}

export interface LessonSection extends RenderedHeading {
  /** Widgets between this heading and the next one, in reading order. */
  readonly widgets: readonly LessonWidget[];
}

export interface LessonOutline {
  /** Widgets before the first heading. */
  readonly intro: readonly LessonWidget[];
  readonly sections: readonly LessonSection[];
  /** Every widget in reading order. */
  readonly widgets: readonly LessonWidget[];
}

/**
 * Headings of components that take no `title` (they name themselves): kept in step with the
 * components' own `<h3>`. A widget missing here is named after its tag ("PodRangeExplorer" →
 * "Pod range explorer").
 */
const SELF_TITLED: Readonly<Record<string, string | ((attributes: string) => string)>> = {
  TraceQuestion: "Interview question: trace the request",
  PodRangeExplorer: "Pod range explorer",
  MaglevLab: "Maglev lab: remove or add a GFE",
  UrlMapTester: "URL-map tester",
  DnsChainStepper: "DNS chain: resolving www.example.com",
  StaticIpLab: "Static-IP linter: the Ingress annotation and its Terraform",
  HostHeaderTable: "The Host header at the load balancer",
  BgpLab: (attributes) => (attribute(attributes, "view") === "anycast" ? "Anycast map" : "BGP best-path stepper"),
  BgpRpkiLab: "Hijacks and route-origin validation",
  CertLab: "Certificate validation lab",
  AcmeLab: "ACME challenge lab",
  TroubleshootLab: "Troubleshooting lab",
  MtuLab: "MTU lab: one packet from a Pod",
  ResolverStepper: "DNS resolver stepper",
  PolicyMatrix: "NetworkPolicy matrix",
  NatLab: "Cloud NAT ports and paths",
  CniPathStepper: "CNI path stepper: one packet, hop by hop",
  FirewallLab: "Where is the packet dropped?",
};

const words = (tag: string) => tag.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/ (\w)/g, (_, c: string) => ` ${c.toLowerCase()}`);

/** The heading a component without a `title` gives itself. */
function selfTitle(tag: string, attributes: string): string {
  const title = SELF_TITLED[tag];
  return typeof title === "function" ? title(attributes) : (title ?? words(tag));
}

function attribute(attributes: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}=(?:"([^"]*)"|'([^']*)')`).exec(attributes)?.slice(1).find((v) => v !== undefined);
}

export class LessonOutlineError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "LessonOutlineError";
  }
}

/**
 * Reads the outline of one lesson.
 *
 * Markdown headings are counted in the source (outside fenced code) and paired, in order, with the
 * headings `render()` returned, which carry the slugs the page really uses; the two lists must agree,
 * or the build stops rather than link to a section that is not there.
 *
 * @example
 * const { headings } = await render(entry);
 * const { sections } = lessonOutline(entry.body ?? "", headings, entry.filePath ?? entry.id);
 * sections[0].widgets; // [{ kind: "lab", tag: "TraceLab", labId: "leg-1", anchor: "lab-leg-1", … }]
 */
export function lessonOutline(body: string, headings: readonly RenderedHeading[], file: string): LessonOutline {
  const widgetTags = Object.keys(WIDGETS).filter((tag) => !TABLES.has(tag));
  const tagPattern = new RegExp(`<(${widgetTags.join("|")})(?=[\\s/>])([^<>]*?)/?>`, "g");
  // Blank out fenced code (keeping offsets), so an example tag or "#" line in a code block is not read.
  const text = body.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, " "));
  const marks = [
    ...[...text.matchAll(/^(#{1,6})[ \t]+(.*)$/gm)].map((m) => ({ at: m.index, heading: { depth: m[1]!.length, text: m[2]! } })),
    ...[...text.matchAll(tagPattern)].map((m) => ({ at: m.index, tag: { name: m[1]!, attributes: m[2] ?? "" } })),
  ].sort((a, b) => a.at - b.at);

  const intro: LessonWidget[] = [];
  const sections: { heading: RenderedHeading; widgets: LessonWidget[] }[] = [];
  let headingIndex = 0;
  for (const mark of marks) {
    if ("heading" in mark) {
      const rendered = headings[headingIndex++];
      if (!rendered || rendered.depth !== mark.heading.depth) {
        throw new LessonOutlineError(file, `heading "${mark.heading.text}" has no matching rendered heading, so the table of contents cannot link to it`);
      }
      sections.push({ heading: rendered, widgets: [] });
      continue;
    }
    const { name: tag, attributes } = mark.tag;
    const labId = LABS_WITH_IDS.has(tag) ? attribute(attributes, "labId") : undefined;
    const current = sections.at(-1);
    const widget: LessonWidget = {
      kind: /Question$/.test(tag) ? "question" : "lab",
      tag,
      title: attribute(attributes, "title") ?? selfTitle(tag, attributes),
      ...(labId ? { labId } : {}),
      anchor: labId ? `lab-${labId}` : (current?.heading.slug ?? ""),
    };
    (current ? current.widgets : intro).push(widget);
  }
  if (headingIndex !== headings.length) {
    throw new LessonOutlineError(file, `the source has ${headingIndex} headings but the page rendered ${headings.length}`);
  }
  const outlineSections = sections.map(({ heading, widgets }) => ({ depth: heading.depth, slug: heading.slug, text: heading.text, widgets }));
  return { intro, sections: outlineSections, widgets: [...intro, ...outlineSections.flatMap((s) => s.widgets)] };
}
