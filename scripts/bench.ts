/**
 * npm run bench — a benchmark, not a test: build time, JS shipped per page (gzip), trace and grading
 * throughput, the question bank's variants and grades per second, each against the course's targets.
 * Prints a table; exits 0 whatever the figures.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gz, htmlFiles, pageJsBytes } from "./page-scripts";
import { answerKey, gradeTraceAnswer, makeQuestion, questionTrace } from "../src/quiz/trace-the-request";
import { computeTrace, getScenario, parameterSpace } from "../src/sim/index";
import type { AnyVariant } from "../src/quiz/engine/types";

const DIST = "dist";
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function buildTime(): number {
  const start = performance.now();
  const result = spawnSync("npm", ["run", "build"], { stdio: "ignore", env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("the build failed; run `npm run build` to see why");
  return (performance.now() - start) / 1000;
}


function throughput(work: (i: number) => void, ms = 1500): { perSecond: number; microsEach: number } {
  for (let i = 0; i < 200; i++) work(i); // warm caches and the JIT
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) work(n++);
  const elapsed = performance.now() - start;
  return { perSecond: Math.round((n / elapsed) * 1000), microsEach: (elapsed * 1000) / n };
}

/**
 * A well-formed answer that is not the key: a wrong model's answer when the variant has one, else another
 * option, the order reversed, each field's placeholder (an example of the form, never the answer) …
 */
function wrongAnswer(v: AnyVariant): unknown {
  if (v.misconceptions.length > 0) return v.misconceptions[0]!.answer;
  switch (v.kind) {
    case "single-choice":
    case "diagnosis":
      return { choice: v.view.options.find((o) => o.id !== v.key.choice)?.id ?? v.key.choice };
    case "multiple-choice":
      return { choices: v.view.options.filter((o) => !v.key.choices.includes(o.id)).map((o) => o.id).slice(0, 1) };
    case "ordering":
      return { order: [...v.key.order].reverse() };
    case "fill-in":
    case "predict-header":
      return { fields: Object.fromEntries(v.view.fields.map((f) => [f.id, f.placeholder ?? "x"])) };
    case "numeric":
      return { value: v.rubric.value * 2 + 1 };
    case "trace-builder":
      return { hops: [...v.key.hops].reverse().map((h) => ({ item: h.item, marks: [] })) };
    case "open":
      return { checked: [] };
  }
}

const seconds = buildTime();
console.log(`Build (astro build + pagefind): ${seconds.toFixed(1)} s\n`);

console.log("JS loaded by each page before interaction (gzip -9):");
const pages = htmlFiles(DIST).sort();
for (const path of pages) {
  const html = readFileSync(path, "utf8");
  const { bytes } = pageJsBytes(DIST, html);
  const labs = (html.match(/<astro-island/g) ?? []).length;
  const target = labs ? 120 * 1024 : null;
  const verdict = target === null ? "no islands: search and theme only" : bytes <= target ? "within 120 KB" : "OVER 120 KB";
  console.log(`  /${relative(DIST, path).replace(/index\.html$/, "")}`.padEnd(34), kb(bytes).padStart(9), `${labs} island(s)`.padStart(13), ` ${verdict}`);
}
const pagefindJs = gz(readFileSync(join(DIST, "pagefind", "pagefind.js")));
console.log(`  Search, fetched on first focus of the search box: ${kb(pagefindJs)} of pagefind.js, then its WebAssembly and index\n`);

const scenario = getScenario("cloudflare-gke");
const combos = parameterSpace(scenario);
const traces = throughput((i) => computeTrace("cloudflare-gke", combos[i % combos.length], i));
console.log(`Traces: ${traces.perSecond.toLocaleString("en")} per second, ${traces.microsEach.toFixed(1)} µs each (target under 1 ms)`);

const questions = Array.from({ length: 64 }, (_, seed) => {
  const q = makeQuestion(seed);
  const trace = questionTrace(q);
  const key = answerKey(trace);
  const wrong = { hops: [...key.hops].reverse() };
  return { trace, answers: [key, wrong], known: new Set(q.options.map((o) => o.id)) };
});
const grades = throughput((i) => {
  const q = questions[i % questions.length]!;
  gradeTraceAnswer(q.answers[i % 2]!, q.trace, q.known);
});
console.log(`Grades: ${grades.perSecond.toLocaleString("en")} per second, ${grades.microsEach.toFixed(1)} µs each`);

// The question bank: every template, a spread of seeds, graded with its key and with a wrong answer.
{
  const { TEMPLATES, makeVariant } = await import("../src/quiz/bank/index");
  const { gradeAnswer } = await import("../src/quiz/engine/grade");
  if (TEMPLATES.length === 0) console.log("Question bank: no templates yet");
  else {
    // Seeds spread over the 32-bit range, so each template shows the variety of its parameters.
    const spread = (i: number) => (Math.floor(i / TEMPLATES.length) * 2654435761) >>> 0;
    const variants = throughput((i) => makeVariant(TEMPLATES[i % TEMPLATES.length]!, spread(i)));
    console.log(`\nQuestion bank (${TEMPLATES.length} templates):`);
    console.log(`  variants generated per second: ${variants.perSecond.toLocaleString("en")} (${variants.microsEach.toFixed(1)} µs each)`);
    const graded = TEMPLATES.flatMap((t) =>
      Array.from({ length: 16 }, (_, k) => {
        const v = makeVariant(t, spread(k * TEMPLATES.length));
        return [{ v, answer: v.key as unknown }, { v, answer: wrongAnswer(v) }];
      }).flat(),
    );
    const answers = throughput((i) => {
      const { v, answer } = graded[i % graded.length]!;
      gradeAnswer(v, answer);
    });
    console.log(`  answers graded per second (the key and a wrong answer, 16 seeds each): ${answers.perSecond.toLocaleString("en")} (${answers.microsEach.toFixed(1)} µs each)`);
  }
}

// kube-proxy at scale: 10,000 ClusterIP Services × 5 endpoints, each mode.
{
  const { syntheticCluster, lastServiceAddress, runKubeScenario } = await import("../src/sim/kube/index");
  const { kubeProxyIptables } = await import("../src/sim/kube/iptables/index");
  const { kubeProxyIpvs, ipvsLookup } = await import("../src/sim/kube/ipvs/index");
  const { ebpfServiceMaps, ebpfLookup } = await import("../src/sim/kube/ebpf/index");
  const { parseIptablesSave, walkPacket } = await import("../src/sim/netfilter/index");
  const timed = <T>(work: () => T): { result: T; ms: number } => {
    const start = performance.now();
    const result = work();
    return { result, ms: performance.now() - start };
  };
  const { asKernelSaves } = await import("../src/sim/kube/iptables/kernel-form");
  const medianOf3 = <T>(work: () => T) => [0, 1, 2].map(() => timed(work)).sort((a, b) => a.ms - b.ms)[1]!;
  const state = syntheticCluster({ services: 10_000, endpointsPerService: 5 });
  // Warm up with one sync of the same cluster: the JIT, and the heap and rule buffer a running
  // kube-proxy has grown by its second sync.
  kubeProxyIptables(state);
  const gen = medianOf3(() => kubeProxyIptables(state));
  console.log(`\nkube-proxy, 10,000 Services × 5 endpoints (median of 3 where repeated):`);
  console.log(`  iptables rules generated: ${gen.result.ruleCount.toLocaleString("en")} rules in ${gen.ms.toFixed(0)} ms (target under 300 ms)`);
  const kernel = medianOf3(() => asKernelSaves(gen.result.text));
  console.log(`  the same rules as a node's iptables-save prints them back (asKernelSaves): ${kernel.ms.toFixed(0)} ms`);
  const parsed = timed(() => parseIptablesSave(gen.result.text));
  console.log(`  iptables-save text parsed for walking: ${parsed.ms.toFixed(0)} ms (once per ruleset)`);
  const host = { localAddresses: ["127.0.0.1", "10.128.0.10"], interfaces: [{ name: "eth0", addresses: ["10.128.0.10"] }], routes: [{ dst: "0.0.0.0/0", dev: "eth0", src: "10.128.0.10" }] };
  const packet = { protocol: "tcp" as const, src: "10.4.200.9", srcPort: 40000, dst: lastServiceAddress(gen.result.text), dstPort: 80 };
  const sample = walkPacket(parsed.result, packet, host, { seed: 1 });
  const walks = throughput((i) => walkPacket(parsed.result, packet, host, { seed: i }));
  console.log(`  one packet's walk to the last Service: ${walks.microsEach.toFixed(0)} µs, ${sample.rulesEvaluated.toLocaleString("en")} rules evaluated (target under 1 ms)`);
  const ipvs = timed(() => kubeProxyIpvs(state));
  const ipvsRules = ipvs.result.iptablesSave.split("\n").filter((l) => l.startsWith("-A ")).length;
  console.log(`  IPVS: ${ipvs.result.virtualServers.length.toLocaleString("en")} virtual servers, ${ipvsRules} iptables rules, written in ${ipvs.ms.toFixed(0)} ms`);
  const ipvsWalk = throughput((i) => ipvsLookup(ipvs.result, { ...packet, srcPort: 40000 + (i % 1000) }, { seed: i }));
  console.log(`  IPVS lookup: ${ipvsWalk.microsEach.toFixed(1)} µs`);
  const maps = timed(() => ebpfServiceMaps(state));
  console.log(`  eBPF: ${maps.result.services.length.toLocaleString("en")} service-map entries, ${maps.result.backends.length.toLocaleString("en")} backends, written in ${maps.ms.toFixed(0)} ms, 0 iptables rules`);
  const ebpf = throughput((i) => ebpfLookup(maps.result, { ...packet, srcPort: 40000 + (i % 1000) }, { seed: i }));
  console.log(`  eBPF lookup: ${ebpf.microsEach.toFixed(1)} µs`);
  const journeys = throughput((i) => runKubeScenario("clusterip-from-pod", "default", i), 1500);
  console.log(`  in-cluster journey traces (manifests parsed, rules generated and walked on each node): ${journeys.perSecond} per second, ${(journeys.microsEach / 1000).toFixed(1)} ms each`);
}

{
  const { benchMaglev } = await import("../src/sim/edge/maglev-bench");
  const { benchDnsChain } = await import("../src/sim/edge/dns-chain");
  const { benchBgp } = await import("../src/sim/bgp/bench");
  const { benchRov } = await import("../src/sim/rpki/bench");
  console.log(`\nThe internet edge:`);
  const mg = benchMaglev();
  console.log(
    `  Maglev table build, M = 65,537, 1,000 backends: ${mg.buildMs.toFixed(2)} ms (the paper: ${mg.paperBuildMs} ms); ` +
      `lookups ${Math.round(mg.lookupsPerSecond).toLocaleString("en")}/s, ${Math.round(mg.hashedLookupsPerSecond).toLocaleString("en")}/s with SipHash of the 5-tuple`,
  );
  const bgp = benchBgp(() => performance.now());
  console.log(
    `  BGP on the simulated internet: ${bgp.msPerPrefix.toFixed(2)} ms per prefix to convergence (${bgp.updatesPerPrefix} updates; target under 1 ms), ` +
      `${bgp.usPerDecision.toFixed(0)} µs per decision with its steps`,
  );
  const rov = benchRov();
  console.log(
    `  RPKI ROV: ${rov.vrps.toLocaleString("en")} VRPs read from CSV in ${rov.parseMs.toFixed(0)} ms, indexed in ${rov.indexMs.toFixed(0)} ms; ` +
      `${Math.round(rov.validationsPerSecond).toLocaleString("en")} validations per second over ${rov.routes.toLocaleString("en")} routes`,
  );
  console.log(`  DNS resolution chains (every setup × cache × QNAME minimisation): ${Math.round(benchDnsChain() * 1000).toLocaleString("en")} per second`);
}

{
  const { benchX509 } = await import("../src/sim/tls/x509/bench");
  const { generateSamples } = await import("../src/sim/tls/samples");
  const { benchAcme } = await import("../src/sim/tls/acme/bench");
  const { benchSslMatrix } = await import("../src/sim/tls/cloudflare-ssl/matrix");
  console.log(`\nTLS and certificates:`);
  const x509 = await benchX509();
  console.log(
    `  X.509: ${Math.round(x509.validatePathPerSecond).toLocaleString("en")} path validations per second (3 certificates, every check and a host name); ` +
      `${Math.round(x509.verifyChainPerSecond).toLocaleString("en")} whole chains per second verified from PEM with WebCrypto signatures; ` +
      `${Math.round(x509.parseCertificatesPerSecond).toLocaleString("en")} certificates parsed per second`,
  );
  const t0 = performance.now();
  const samples = await generateSamples();
  console.log(`  the labs' sample chains, generated with fresh keys at build time: ${samples.length} cases in ${(performance.now() - t0).toFixed(0)} ms`);
  const acme = benchAcme();
  console.log(
    `  ACME: ${Math.round(acme.thumbprintsPerMs * 1000).toLocaleString("en")} account keys parsed and thumbprinted per second; ` +
      `${Math.round(acme.checksPerMs * 1000).toLocaleString("en")} CA checks (with CAA and every perspective) per second`,
  );
  const m0 = performance.now();
  const runs = benchSslMatrix();
  console.log(`  Cloudflare SSL modes: every matrix the lab shows, ${runs} runs with their strict checks, in ${(performance.now() - m0).toFixed(0)} ms`);
}

{
  const { benchMtuPath } = await import("../src/sim/kube/mtu/path");
  console.log(`\nInside the cluster:`);
  const t0 = performance.now();
  const traces = benchMtuPath();
  console.log(`  MTU traces (every CNI × destination × DF × ICMP filtered, each reaching the drop): ${traces} in ${(performance.now() - t0).toFixed(0)} ms`);
  const { benchPolicyMatrix } = await import("../src/sim/kube/policy/bench");
  const p0 = performance.now();
  const cells = benchPolicyMatrix();
  console.log(`  NetworkPolicy: every preset's Pods × Pods matrix, ${cells} cells with both directions decided, in ${(performance.now() - p0).toFixed(0)} ms`);
  const { benchCniPaths } = await import("../src/sim/kube/cni/path");
  const c0 = performance.now();
  const hops = benchCniPaths();
  console.log(`  CNI paths: all 32 (CNI, path, overlay) walks with their overlay packets encoded, ${hops} hops, in ${(performance.now() - c0).toFixed(0)} ms`);
  const { benchFirewall } = await import("../src/sim/kube/policy/firewall-bench");
  const f0 = performance.now();
  const decided = benchFirewall();
  console.log(`  Firewall: 80 five-layer traces (kube-proxy rules regenerated each round), ${decided} layers decided, in ${(performance.now() - f0).toFixed(0)} ms`);
  const { benchNat } = await import("../src/sim/kube/egress/nat");
  const n0 = performance.now();
  const conns = benchNat();
  console.log(`  Cloud NAT: 20 gateways of 1,008 VMs, one VM opening 4,096 connections to one destination under dynamic allocation, ${conns} connections placed or dropped, in ${(performance.now() - n0).toFixed(0)} ms`);
}
