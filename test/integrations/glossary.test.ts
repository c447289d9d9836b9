import { readFileSync } from "node:fs";
import type { Root, RootContent } from "mdast";
import { markdownToHtml, mdxToJs } from "satteri";
import { describe, expect, it } from "vitest";
import { loadGlossary } from "../../src/integrations/glossary/load";
import { compileGlossary, GLOSSARY_LINK_CLASS, planTermLinks } from "../../src/integrations/glossary/link-terms";
import { glossaryLinks } from "../../src/integrations/glossary/satteri-plugin";
import { GlossaryError, parseGlossary, type GlossaryEntryInput } from "../../src/integrations/glossary/schema";
import { stringify } from "yaml";

const ROOT = new URL("../../", import.meta.url);
const GLOSSARY = loadGlossary(ROOT);

/** A well-formed entry to vary. */
const entry = (over: Partial<GlossaryEntryInput> = {}): GlossaryEntryInput => ({
  term: "Maglev",
  id: "maglev",
  match: ["Maglev", "Maglevs"],
  short: "Google's software layer-4 load balancer.",
  definition: "Google's network load balancer: it hashes each flow's 5-tuple into a consistent table and tunnels the packet to a backend in GRE.",
  ...over,
});
const yamlOf = (...entries: unknown[]) => stringify(entries);
const parseError = (text: string) => {
  try {
    parseGlossary(text, "content/glossary.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(GlossaryError);
    return (error as Error).message;
  }
  throw new Error("expected the glossary to be refused");
};

describe("content/glossary.yaml", () => {
  it("defines every term the course needs", () => {
    const known = new Set(GLOSSARY.flatMap((e) => [e.term, ...e.match]));
    const needed = [
      "GFE", "Maglev", "NEG", "ROA", "VRP", "RPKI", "conntrack", "EndpointSlice", "SNI", "anycast", "ECMP", "DNAT", "SNAT",
      "masquerade", "kube-proxy", "ClusterIP", "NodePort", "DSR", "Unimog", "URL map", "health check", "externalTrafficPolicy",
      "IPVS", "eBPF", "Dataplane V2", "VPC", "alias IP", "Geneve", "MTU",
    ];
    expect(needed.filter((term) => !known.has(term))).toEqual([]);
  });

  it("gives every entry a unique anchor, listed alphabetically", () => {
    const ids = GLOSSARY.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const terms = GLOSSARY.map((e) => e.term);
    expect(terms).toEqual([...terms].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
  });
});

describe("parseGlossary refuses a bad entry, naming the term and the field", () => {
  it("a missing field", () => {
    const { short: _, ...noShort } = entry();
    expect(parseError(yamlOf(noShort))).toMatch(/^content\/glossary\.yaml: "Maglev" \(entry 1\): short: /);
  });

  it("a tooltip too long, or with code in it", () => {
    expect(parseError(yamlOf(entry({ short: `${"a very long sentence ".repeat(9)}.` })))).toContain('"Maglev" (entry 1): short: at most 160 characters');
    expect(parseError(yamlOf(entry({ short: "Uses `GRE` to reach the backend." })))).toContain("short: plain text only");
  });

  it("an anchor that is not a slug", () => {
    expect(parseError(yamlOf(entry({ id: "Maglev LB" })))).toContain('"Maglev" (entry 1): id: lower-case letters');
  });

  it("a spelling two entries claim, an id used twice, a see-also to nothing", () => {
    const twice = parseError(yamlOf(entry(), entry({ term: "Maglev balancer", id: "maglev", match: ["Maglev"] })));
    expect(twice).toContain('"Maglev balancer": id: "maglev" is already the id of "Maglev"');
    expect(twice).toContain('"Maglev balancer": match: "Maglev" already links to "Maglev"');
    expect(parseError(yamlOf(entry({ see: ["gfe"] })))).toContain('"Maglev": see: no entry has the id "gfe"');
  });

  it("a file that is not a list, or not YAML", () => {
    expect(parseError("term: Maglev\n")).toContain("expected a YAML list of entries");
    expect(parseError("- term: [Maglev\n")).toContain("not valid YAML");
  });

  it("the real file with one definition emptied fails the same way", () => {
    const text = readFileSync(new URL("content/glossary.yaml", ROOT), "utf8").replace(/(- term: GFE\n(?:.*\n)*?  definition: )>-\n(?:    .*\n)+/, "$1short\n");
    expect(parseError(text)).toMatch(/"GFE" \(entry \d+\): definition: /);
  });
});

describe("compileGlossary", () => {
  const matcher = compileGlossary(GLOSSARY);
  const found = (text: string) => [...text.matchAll(matcher.pattern)].map((m) => m[0]);

  it("matches a capitalised form exactly and a lower-case form with a capital first letter too", () => {
    expect(found("Conntrack keeps it; conntrack -L lists it")).toEqual(["Conntrack", "conntrack"]);
    expect(found("a neg number, the NEG, NEGs")).toEqual(["NEG", "NEGs"]);
    expect(found("CONNTRACK")).toEqual([]);
  });

  it("matches whole words only, the longest spelling first", () => {
    expect(found("NEGATIVE, kube-proxy-config, pre-anycast")).toEqual([]);
    expect(found("On GKE Dataplane V2, eBPF replaces kube-proxy's rules.")).toEqual(["GKE Dataplane V2", "eBPF", "kube-proxy"]);
    expect(matcher.entryOf("Health checks")?.id).toBe("health-check");
  });
});

// Small mdast trees, as Markdown and MDX parse them.
const text = (value: string) => ({ type: "text" as const, value });
const paragraph = (...children: RootContent[]): RootContent => ({ type: "paragraph", children: children as never });
const root = (...children: RootContent[]): Root => ({ type: "root", children });
const jsx = (name: string, children: RootContent[] = [], type: "mdxJsxFlowElement" | "mdxJsxTextElement" = "mdxJsxFlowElement") =>
  ({ type, name, attributes: [], children }) as unknown as RootContent;

/** The linked words of a tree, in order, as "word→id". */
function linked(tree: Root): string[] {
  const matcher = compileGlossary(GLOSSARY);
  return planTermLinks(tree, matcher).flatMap(({ parts }) =>
    parts.flatMap((p) => (p.type === "link" ? [`${(p.children[0] as { value: string }).value}→${p.url}`] : [])),
  );
}

describe("planTermLinks: the first use of each term, in prose only", () => {
  it("links a term once, at its first use, whichever spelling comes first", () => {
    const tree = root(paragraph(text("Each NEG lists Pods; NEGs are zonal.")), paragraph(text("A network endpoint group again, and Maglev.")));
    expect(linked(tree)).toEqual(["NEG→/glossary/#neg", "Maglev→/glossary/#maglev"]);
  });

  it("splits the text around the link and titles it with the entry's summary", () => {
    const tree = root(paragraph(text("Then the GFE ends TLS.")));
    const [edit] = planTermLinks(tree, compileGlossary(GLOSSARY));
    const gfe = GLOSSARY.find((e) => e.id === "gfe")!;
    expect(edit!.parts).toEqual([
      text("Then the "),
      { type: "link", url: "/glossary/#gfe", title: gfe.short, children: [text("GFE")], data: { hProperties: { className: [GLOSSARY_LINK_CLASS] } } },
      text(" ends TLS."),
    ]);
  });

  it("never links inside headings, code, links, components or a table's header, and keeps looking after them", () => {
    const tree = root(
      { type: "heading", depth: 2, children: [text("Maglev and ECMP")] },
      { type: "code", value: "Maglev" },
      paragraph({ type: "inlineCode", value: "ECMP" }, text(" "), { type: "link", url: "/x", children: [text("Maglev")] }),
      jsx("JourneyLab", [paragraph(text("Maglev"))]),
      jsx("code", [text("ECMP")], "mdxJsxTextElement"),
      {
        type: "table",
        children: [
          { type: "tableRow", children: [{ type: "tableCell", children: [text("Maglev")] }] },
          { type: "tableRow", children: [{ type: "tableCell", children: [text("ECMP spreads flows")] }] },
        ],
      },
      paragraph(text("Maglev, at last.")),
    );
    expect(linked(tree)).toEqual(["ECMP→/glossary/#ecmp", "Maglev→/glossary/#maglev"]);
  });

  it("reads prose inside plain HTML written in MDX, but not a note's title", () => {
    const note = jsx("div", [paragraph(jsx("strong", [text("Anycast is routing")], "mdxJsxTextElement"), text("\nAnycast happens at layer 3."))]);
    expect(linked(root(note))).toEqual(["Anycast→/glossary/#anycast"]);
    expect(linked(root(paragraph({ type: "emphasis", children: [text("conntrack")] })))).toEqual(["conntrack→/glossary/#conntrack"]);
  });

  it("starts afresh for every document", () => {
    const tree = () => root(paragraph(text("Unimog")));
    expect(linked(tree())).toEqual(linked(tree()));
  });
});

describe("the Sätteri plugin, as the build runs it", () => {
  const plugins = [glossaryLinks(GLOSSARY)];

  it("links Markdown's first uses", async () => {
    const { html } = await markdownToHtml("## Maglev\n\nThe Maglev hashes; `Maglev` is code; Maglev again.\n", { mdastPlugins: plugins });
    expect(html).toContain("<h2>Maglev</h2>");
    expect(html.match(/class="glossary-term"/g)).toHaveLength(1);
    expect(html).toMatch(/<p>The <a href="\/glossary\/#maglev" title="[^"]+" class="glossary-term">Maglev<\/a> hashes; <code>Maglev<\/code>/);
  });

  it("links MDX prose and leaves components alone", async () => {
    const source = [
      'import Lab from "./lab";',
      "",
      '<Lab title="kube-proxy and ECMP" />',
      "",
      '<div class="note">',
      "  <strong>kube-proxy is not a proxy</strong>",
      "  kube-proxy writes rules; the kernel moves packets.",
      "</div>",
      "",
    ].join("\n");
    const { code } = await mdxToJs(source, { mdastPlugins: plugins });
    expect(code).toContain('title: "kube-proxy and ECMP"');
    expect(code).toMatch(/children: "kube-proxy is not a proxy"/);
    expect(code.match(/href: "\/glossary\/#kube-proxy"/g)).toHaveLength(1);
    expect(code).toContain('className: "glossary-term"');
  });
});
