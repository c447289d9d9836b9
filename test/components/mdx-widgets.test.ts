import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkWidgetSource } from "../../src/components/mdx-widgets";

describe("widget props in MDX are checked at build time", () => {
  it.each(readdirSync("content/lessons").filter((f) => f.endsWith(".mdx")))("content/lessons/%s passes", (file) => {
    expect(() => checkWidgetSource(readFileSync(`content/lessons/${file}`, "utf8"), file)).not.toThrow();
  });

  it.each([
    ['<JourneyLab labId="a" title="Leg" scenarioId="cloudflare-gke" controls={["citty"]} />', /1:1: <JourneyLab> controls\.0: "citty" is not a parameter of cloudflare-gke/],
    ['<JourneyLab labId="a" title="Leg" scenarioId="nope" />', /scenarioId/],
    ['<JourneyLab labId="a" title="Leg" scenarioId="cloudflare-gke" leggs={[1]} />', /leggs/],
    ['<JourneyLab labId="A b" title="Leg" scenarioId="cloudflare-gke" />', /labId: a labId is lower-case/],
    ['<JourneyLab labId="a" title="Leg" scenarioId="cloudflare-gke" legs={[6]} />', /legs\.0/],
    ['text\n\n<JourneyLab labId="a" title="One" scenarioId="cloudflare-gke" />\n<JourneyLab labId="a" title="Two" scenarioId="cloudflare-gke" />', /4:1: <JourneyLab> labId "a" is already used on line 3/],
    ['<TraceQuestion client:visible labPath="lessons/x" />', /labPath is a site path/],
    ['<JourneyLab labId="a" title="Leg" scenarioId="cloudflare-gke" legs={[1, 2 />', /is not closed/],
    ['<PodRangeExplorer client:visible range="10.0.0.0/8" />', /range/],
  ])("rejects %s", (source, message) => {
    expect(() => checkWidgetSource(source, "x.mdx")).toThrow(message);
  });

  it("reads JavaScript literals and bare attributes", () => {
    expect(() => checkWidgetSource("<TraceQuestion client:visible labPath='/lessons/x/' variants seed={2} />", "x.mdx")).not.toThrow();
    expect(() => checkWidgetSource("<JourneyLab labId='a' title='Leg' scenarioId='cloudflare-gke' controls={['city', 'cache']} />", "x.mdx")).not.toThrow();
  });
});

describe("in-cluster lab props", () => {
  it.each([
    ['<KubeLab labId="nat" title="NAT" scenarioId="clusterip-from-pods" />', /scenarioId/],
    ['<KubeLab labId="nat" title="NAT" scenarioId="clusterip-from-pod" preset="hairpin" />', /"hairpin" is not a preset of clusterip-from-pod/],
    ['<KubeLab labId="nat" title="NAT" scenarioId="clusterip-from-pod" view="table" />', /view/],
    ['<KubeLab labId="x" title="One" scenarioId="clusterip-from-pod" />\n<KubeManifestLab labId="x" title="Two" />', /labId "x" is already used/],
    // The islands need data computed at build time, which only their wrappers provide.
    ['<StepLab client:visible labId="nat" title="NAT" scenarioId="clusterip-from-pod" />', /1:1: <StepLab> props: embed <KubeLab>/],
    ['<ManifestLab client:visible labId="paste" title="Paste" />', /embed <KubeManifestLab>/],
    ['<TraceLab client:visible labId="leg-1" title="Leg 1" scenarioId="cloudflare-gke" />', /embed <JourneyLab>/],
  ])("rejects %s", (source, message) => {
    expect(() => checkWidgetSource(source, "x.mdx")).toThrow(message);
  });

  it("accepts the wrappers with the islands' props", () => {
    const source = '<KubeLab labId="nodeport" title="NodePort" scenarioId="nodeport-from-outside" preset="other-node" view="nat" />\n<KubeManifestLab labId="paste" title="Paste" />';
    expect(() => checkWidgetSource(source, "x.mdx")).not.toThrow();
  });
});
