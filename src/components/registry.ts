import { z } from "zod";
import { getScenario, SCENARIOS } from "../sim/index";
import { KUBE_SCENARIOS } from "../sim/kube/index";

/**
 * Every widget a lesson may embed, with the props its MDX tag may carry. The MDX build checks each
 * tag against these schemas (see `remark-widgets.ts`), so a misspelt control name or an unknown
 * scenario fails the build with the file, line and what was expected — instead of a lab that quietly
 * renders nothing.
 */
const LabId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "a labId is lower-case letters, digits and dashes (it names URL keys and the #lab- anchor)");

/** `<JourneyLab>`: a flagship lab opening on its trace computed at build time; the settings are the lesson's, shared unless `shared={false}`. */
export const JourneyLabPropsSchema = z
  .object({
    labId: LabId,
    title: z.string().min(3),
    scenarioId: z.enum(SCENARIOS.map((s) => s.id) as [string, ...string[]]),
    legs: z.array(z.number().int().min(1).max(5)).min(1).optional(),
    controls: z.array(z.string()).min(1).optional(),
    /** Follow the settings the page's other labs share (default true). */
    shared: z.boolean().optional(),
  })
  .strict()
  .superRefine((props, ctx) => {
    const keys = getScenario(props.scenarioId).params.map((p) => p.key);
    props.controls?.forEach((control, i) => {
      if (!keys.includes(control)) {
        ctx.addIssue({ code: "custom", path: ["controls", i], message: `"${control}" is not a parameter of ${props.scenarioId}; it has ${keys.join(", ")}` });
      }
    });
  });

export const TraceQuestionPropsSchema = z
  .object({
    /** Variant to open with; 0 is the canonical question. */
    seed: z.number().int().nonnegative().optional(),
    /** Page holding the whole-journey lab (id "journey") that explanations link into. */
    labPath: z.string().regex(/^\/.*\/$/, "labPath is a site path such as /lessons/life-of-a-packet/"),
    /** Offer a "new variant" button. */
    variants: z.boolean().optional(),
  })
  .strict();

/** `<KubeLab>`: an in-cluster lab whose walks are computed at build time (it renders the StepLab island). */
export const KubeLabPropsSchema = z
  .object({
    /** Unique on the page; names the lab's URL keys and its anchor (#lab-<id>). */
    labId: LabId,
    title: z.string().min(3),
    /** An in-cluster scenario id from `src/sim/kube/scenarios.ts`. */
    scenarioId: z.enum(KUBE_SCENARIOS.map((s) => s.id) as [string, ...string[]]),
    /** A preset of that scenario; "default" when absent. */
    preset: z.string().optional(),
    /** "nat": 5-tuples and conntrack; "chain": the rules with the walk's cursor. */
    view: z.enum(["nat", "chain"]).optional(),
  })
  .strict()
  .superRefine((props, ctx) => {
    const presets = Object.keys(KUBE_SCENARIOS.find((s) => s.id === props.scenarioId)?.presets ?? {});
    if (props.preset !== undefined && !presets.includes(props.preset)) {
      ctx.addIssue({ code: "custom", path: ["preset"], message: `"${props.preset}" is not a preset of ${props.scenarioId}; it has ${presets.join(", ")}` });
    }
  });

/** `<KubeManifestLab>`: "paste your own", opening on the example's rules computed at build time. */
export const KubeManifestLabPropsSchema = z.object({ labId: LabId, title: z.string().min(3) }).strict();

/** The islands themselves take build-time data a lesson cannot write: a lesson embeds their wrapper. */
function wrappedIsland(island: string, wrapper: string): z.ZodType {
  return z.unknown().superRefine((_, ctx) => {
    ctx.addIssue({
      code: "custom",
      message: `embed <${wrapper}> (same props, no client directive) instead of the <${island}> island: it computes what the lab opens with when the site is built`,
    });
  });
}

export const PodRangeExplorerPropsSchema = z.object({}).strict();

/** The with/without-Cloudflare settings a `<CompareLab>` may offer or open on (`COMPARE_SETTINGS`). */
const CompareSetting = z.enum(["city", "region", "cache-rule", "cache", "connections", "origin-protection"]);

/** `<CompareLab>`: the flagship with Cloudflare and without, side by side, opening on its build-time comparison. */
export const CompareLabPropsSchema = z
  .object({
    labId: LabId,
    title: z.string().min(3),
    controls: z.array(CompareSetting).min(1).optional(),
    start: z.partialRecord(CompareSetting, z.string()).optional(),
  })
  .strict()
  .superRefine((props, ctx) => {
    const scenario = getScenario("cloudflare-gke");
    for (const [key, value] of Object.entries(props.start ?? {})) {
      const allowed = scenario.params.find((p) => p.key === key)?.values.map((v) => v.value) ?? [];
      if (!allowed.includes(value!)) ctx.addIssue({ code: "custom", path: ["start", key], message: `"${value}" is not a value of ${key}; it has ${allowed.join(", ")}` });
    }
  });

/** `<BgpLab>`: BGP best-path stepper (rule by rule, then the FIB) and the anycast map with site toggles. */
export const BgpLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    view: z.enum(["decision", "anycast", "both"]).optional(),
    router: z.string().regex(/^\d+@[a-z-]+$/, "a router is ASN@city, e.g. 3356@madrid").optional(),
    prefix: z.enum(["cloudflare", "google"]).optional(),
  })
  .strict();

/** `<BgpRpkiLab>`: a hijack on the simulated internet, the victim's ROA, ROV per AS, one router stepped through validation, import, best path and FIB. */
export const BgpRpkiLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    kind: z.enum(["none", "address-only", "exact-prefix", "sub-prefix", "forged-origin", "forged-sub-prefix"]).optional(),
  })
  .strict();

/** `<MaglevLab>`: a small Maglev table with GFEs to remove and add, modulo and rendezvous hashing beside it. */
export const MaglevLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    gfes: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,19}$/, "a GFE name is up to 20 lower-case letters, digits and dashes")).min(1).max(8).optional(),
    size: z.number().int().min(2).max(97).optional(),
    seed: z.number().int().nonnegative().optional(),
  })
  .strict();

/** `<UrlMapTester>`: a URL map and a Cloud Armor policy in front, a request stepped through both. */
export const UrlMapTesterPropsSchema = z
  .object({
    labId: LabId.optional(),
    url: z.string().optional(),
    host: z.string().optional(),
    backendKind: z.enum(["neg", "instance-group"]).optional(),
    sourceIp: z.string().optional(),
    rate: z.string().optional(),
  })
  .strict();

/** `<DnsChainStepper>`: a recursive resolver's lookup of the site's name, query by query. */
export const DnsChainStepperPropsSchema = z
  .object({
    labId: LabId.optional(),
    setup: z.enum(["proxied", "dns-only", "cloud-dns"]).optional(),
    cache: z.enum(["cold", "warm", "hot"]).optional(),
    qmin: z.boolean().optional(),
  })
  .strict();

/** `<StaticIpLab>`: the static-IP annotation linter, opening on findings computed at build time. */
export const StaticIpLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    preset: z.enum(["working", "no-annotation", "terraform-label", "typo", "regional", "internal-global-annotation", "internal", "shared"]).optional(),
  })
  .strict();

/** `<HandshakeStepper>`: the TLS 1.3 handshake at each termination of the flagship, message by message, who reads what, and SNI's choice of certificate. */
export const HandshakeStepperPropsSchema = z
  .object({
    labId: LabId,
    title: z.string().min(1),
    start: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/** `<CertLab>`: a certificate chain validated check by check (generated samples, or a pasted chain verified in the page). */
export const CertLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    sample: z.string().regex(/^[a-z0-9-]{1,40}$/, "a sample id of src/sim/tls/samples.ts").optional(),
  })
  .strict();

/** `<AcmeLab>`: ACME domain validation — account key → key authorization → http-01/dns-01 → the CA's check. */
export const AcmeLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    scenario: z.enum(["owner", "owner-cloudflare", "attacker-no-access", "bgp-hijack-local", "bgp-hijack-global", "dangling-cname", "email-legacy"]).optional(),
    challenge: z.enum(["http-01", "dns-01"]).optional(),
    caa: z.enum(["none", "letsencrypt", "pki-goog", "deny-all", "critical-unknown", "no-wildcards"]).optional(),
    ca: z.enum(["letsencrypt.org", "pki.goog", "sectigo.com"]).optional(),
    domain: z.string().optional(),
  })
  .strict();

/** `<SslModeMatrix>`: Cloudflare's encryption modes × origin certificates, each cell opening its trace. */
export const SslModeMatrixPropsSchema = z
  .object({
    labId: LabId.optional(),
    title: z.string().min(1).optional(),
    mode: z.enum(["off", "flexible", "full", "strict", "origin-pull"]).optional(),
    cert: z.enum(["valid", "self-signed", "expired", "wrong-host", "origin-ca", "none"]).optional(),
    listener: z.enum(["both", "https-only", "http-only"]).optional(),
    visitor: z.enum(["https", "http"]).optional(),
    alwaysUseHttps: z.boolean().optional(),
  })
  .strict();

/** `<TroubleshootLab>`: a broken cluster, commands whose output the model computes, and the fault to name. */
export const TroubleshootLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    initialCase: z.enum(["selector-mismatch", "not-ready", "target-port", "no-local-endpoint", "host-typo"]).optional(),
  })
  .strict();

/** `<AddressPlanner>`: a VPC-native cluster's ranges in, each node's Pod block and how many nodes fit out, refusals at the field. */
export const AddressPlannerPropsSchema = z
  .object({
    labId: LabId.optional(),
    preset: z.enum(["default", "small-subnet", "too-small", "overlap"]).optional(),
  })
  .strict();

/** `<MtuLab>`: a packet through a CNI's encapsulation: fragments, path MTU discovery, or a black hole. */
export const MtuLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    preset: z.enum(["vxlan-right", "vxlan-pmtud", "black-hole", "fragments", "on-prem", "on-prem-black-hole"]).optional(),
  })
  .strict();

/** `<ResolverStepper>`: a Pod's resolv.conf and its glibc resolver's queries for a name, one by one. */
export const ResolverStepperPropsSchema = z
  .object({
    labId: LabId.optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    dnsPolicy: z.enum(["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]).optional(),
  })
  .strict();

/** `<RouteMatcher>`: an Ingress or a Gateway's HTTPRoutes (pasted or preset), requests sent, the backend and the rule that decided. */
export const RouteMatcherPropsSchema = z
  .object({
    labId: LabId.optional(),
    preset: z.enum(["ingress-paths", "gateway-split", "gateway-namespaces"]).optional(),
  })
  .strict();

/** `<PolicyMatrix>`: which Pod may reach which under the NetworkPolicies (preset or pasted), each cell opening its trace. */
export const PolicyMatrixPropsSchema = z
  .object({
    labId: LabId.optional(),
    preset: z.enum(["none", "default-deny", "allow-frontend", "and-or-trap", "and-peer", "dns-blocked", "dns-allowed"]).optional(),
  })
  .strict();

/** `<CniPathStepper>`: one packet's path under a CNI, hop by hop, with the overlay's outer header bytes. */
export const CniPathStepperPropsSchema = z
  .object({
    labId: LabId.optional(),
    cni: z.enum(["gke-legacy", "kubenet", "calico", "dataplane-v2"]).optional(),
    path: z.enum(["same-node", "cross-node", "host-network", "same-pod"]).optional(),
    overlay: z.enum(["none", "vxlan", "geneve", "ipip"]).optional(),
  })
  .strict();

/** `<FirewallLab>`: an external client's packet to a GKE LoadBalancer Service, layer by layer (health checks, VPC firewall, kube-proxy, externalTrafficPolicy, NetworkPolicy), with the deciding rule. */
export const FirewallLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    /** The client address shown first (IPv4). */
    client: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/).optional(),
    trafficPolicy: z.enum(["Cluster", "Local"]).optional(),
  })
  .strict();

/** `<NatLab>`: a Cloud NAT gateway's port reservations filling to OUT_OF_RESOURCES, and which way a packet leaves (PGA, NAT, internal, nowhere). */
export const NatLabPropsSchema = z
  .object({
    labId: LabId.optional(),
    preset: z.enum(["default", "full", "dynamic", "no-pga"]).optional(),
  })
  .strict();

/** `<CompareLatencyTable>`: first-byte times with and without Cloudflare for every city, to one region. */
export const CompareLatencyTablePropsSchema = z
  .object({ region: z.enum(getScenario("cloudflare-gke").params.find((p) => p.key === "region")!.values.map((v) => v.value) as [string, ...string[]]).optional() })
  .strict();

/** Tag name in MDX → its props schema. A widget added to the course is added here. */
export const WIDGETS: Readonly<Record<string, z.ZodType>> = {
  JourneyLab: JourneyLabPropsSchema,
  TraceLab: wrappedIsland("TraceLab", "JourneyLab"),
  TraceQuestion: TraceQuestionPropsSchema,
  PodRangeExplorer: PodRangeExplorerPropsSchema,
  CompareLab: CompareLabPropsSchema,
  BgpLab: BgpLabPropsSchema,
  BgpRpkiLab: BgpRpkiLabPropsSchema,
  MaglevLab: MaglevLabPropsSchema,
  UrlMapTester: UrlMapTesterPropsSchema,
  DnsChainStepper: DnsChainStepperPropsSchema,
  StaticIpLab: StaticIpLabPropsSchema,
  StaticIpLinter: wrappedIsland("StaticIpLinter", "StaticIpLab"),
  HandshakeStepper: HandshakeStepperPropsSchema,
  CertLab: CertLabPropsSchema,
  AcmeLab: AcmeLabPropsSchema,
  SslModeMatrix: SslModeMatrixPropsSchema,
  TroubleshootLab: TroubleshootLabPropsSchema,
  AddressPlanner: AddressPlannerPropsSchema,
  MtuLab: MtuLabPropsSchema,
  ResolverStepper: ResolverStepperPropsSchema,
  RouteMatcher: RouteMatcherPropsSchema,
  PolicyMatrix: PolicyMatrixPropsSchema,
  NatLab: NatLabPropsSchema,
  CniPathStepper: CniPathStepperPropsSchema,
  FirewallLab: FirewallLabPropsSchema,
  HostHeaderTable: z.object({}).strict(),
  CompareLatencyTable: CompareLatencyTablePropsSchema,
  KubeLab: KubeLabPropsSchema,
  KubeManifestLab: KubeManifestLabPropsSchema,
  StepLab: wrappedIsland("StepLab", "KubeLab"),
  ManifestLab: wrappedIsland("ManifestLab", "KubeManifestLab"),
  TraceQuestionCard: wrappedIsland("TraceQuestionCard", "TraceQuestion"),
};

/** Widgets whose `labId` must be unique on a page (they own URL keys under it). */
export const LABS_WITH_IDS: ReadonlySet<string> = new Set(["JourneyLab", "KubeLab", "KubeManifestLab", "CompareLab", "BgpLab", "BgpRpkiLab", "MaglevLab", "UrlMapTester", "DnsChainStepper", "StaticIpLab", "HandshakeStepper", "CertLab", "AcmeLab", "SslModeMatrix", "TroubleshootLab", "AddressPlanner", "MtuLab", "ResolverStepper", "RouteMatcher", "PolicyMatrix", "NatLab", "CniPathStepper", "FirewallLab"]);

/** Widgets that are tables computed at build time, not labs: checked like the others, but not counted as labs. */
export const TABLES: ReadonlySet<string> = new Set(["HostHeaderTable", "CompareLatencyTable"]);
