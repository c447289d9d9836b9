import { nodeIptablesSave } from "../../../sim/kube/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { clusterYaml as writeCluster, drawCluster, loadCluster, replicaName, serviceYaml, type ServiceSpec } from "./cluster-yaml";
import { arrange, LESSONS, pasteLab } from "./shared";
import { pick } from "../draw";

const TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "Headless", "ExternalName"] as const;
const NAMES = ["web", "cart", "search", "orders", "catalog", "pricing", "billing", "profile"] as const;
const HOSTS = ["db.partner.example", "payments.example.net", "crm.corp.example", "search.vendor.example"] as const;

/** Exactly what the Service document shows: its type, name, port, the address it asks for, where an ExternalName points. */
function params(seed: number) {
  const random = seededRandom(seed ^ 0x7395);
  const type = TYPES[seed % TYPES.length]!;
  const virtual = type === "ClusterIP" || type === "NodePort" || type === "LoadBalancer";
  return {
    type,
    name: pick(random, NAMES),
    port: type === "ExternalName" ? 0 : pick(random, [80, 443, 8080, 9090]),
    clusterIP: virtual ? (random() < 0.5 ? "allocate" : `10.96.${randomInt(random, 1, 250)}.${randomInt(random, 2, 250)}`) : type === "Headless" ? "None" : "",
    loadBalancerIP: type === "LoadBalancer" ? `203.0.113.${randomInt(random, 10, 250)}` : "",
    externalName: type === "ExternalName" ? pick(random, HOSTS) : "",
  };
}

/** Which of the cluster's allocations and kube-proxy's rules a Service of each type gets: read from the loaded objects and the generated rules. */
export const serviceTypes: Template<"multiple-choice"> = {
  id: "service-types",
  kind: "multiple-choice",
  title: "What does each Service type get?",
  lesson: LESSONS.endpointSlices,
  concepts: ["service-types", "clusterip", "nodeport", "loadbalancer"],
  file: "src/quiz/bank/cluster/service-types.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const type = p.type;
    // Two Pods for the selector and a client, laid out the same for every variant: only the Service varies.
    const drawn = drawCluster(seededRandom(1), { type: "ClusterIP", endpoints: 2, nodes: 2, clientNode: 0 });
    const written: ServiceSpec = {
      name: p.name,
      namespace: "shop",
      app: p.name,
      type: type === "Headless" ? "ClusterIP" : type,
      clusterIP: p.clusterIP === "allocate" || p.clusterIP === "" ? null : p.clusterIP,
      portName: "http",
      protocol: "TCP",
      port: p.port,
      targetPort: "http",
      ...(p.loadBalancerIP ? { loadBalancerIP: p.loadBalancerIP } : {}),
      ...(p.externalName ? { externalName: p.externalName } : {}),
    };
    const clusterYaml = writeCluster({
      services: [written],
      pods: [...drawn.backends.map((b, i) => ({ ...b, app: p.name, name: replicaName(p.name, i) })), drawn.client!],
      nodes: drawn.nodes,
      proxyNode: drawn.spec.proxyNode,
    });
    const state = loadCluster(clusterYaml);
    const svc = state.services[0]!;
    const rules = nodeIptablesSave(state);
    const name = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const nodePort = svc.ports[0]?.nodePort ?? null;
    const lb = svc.loadBalancerIngress[0]?.ip ?? null;
    const facts = {
      "cluster-ip": svc.clusterIP !== null && svc.clusterIP !== "None",
      "node-port": nodePort !== null,
      "lb-rule": lb !== null && rules.includes(`-d ${lb}/32`),
      "svc-chain": rules.split("\n").some((r) => r.startsWith("-A KUBE-SVC-") && r.includes(`"${name}:`)),
      "dns-only": !rules.includes(`"${name}:`),
    };
    const candidates = [
      { id: "cluster-ip", text: "A virtual cluster IP from the service range, allocated by the API server if the manifest names none." },
      { id: "node-port", text: "A node port from 30000–32767 that every node answers on." },
      { id: "lb-rule", text: "A KUBE-SERVICES rule for a load balancer address taken from status.loadBalancer.ingress." },
      { id: "svc-chain", text: "A KUBE-SVC-… chain in the nat table that picks one of its endpoints." },
      { id: "dns-only", text: "Nothing at all in kube-proxy's rules: only DNS answers for it." },
    ];
    const why: Record<keyof typeof facts, string> = {
      "cluster-ip": facts["cluster-ip"] ? `The loaded Service has clusterIP ${svc.clusterIP}${p.clusterIP === "allocate" ? ", allocated from 10.96.0.0/12 because the manifest gave none" : ""}.` : type === "Headless" ? 'clusterIP: None asks for no virtual address: DNS returns the Pods\' own addresses.' : "An ExternalName Service has no cluster IP: it is a DNS CNAME.",
      "node-port": facts["node-port"] ? `The API server allocated node port ${nodePort} (NodePort and LoadBalancer Services get one unless told otherwise).` : `A ${type} Service gets no node port; only NodePort and LoadBalancer Services do.`,
      "lb-rule": facts["lb-rule"] ? `The rules hold "-d ${lb}/32" for the load balancer's address, which a passthrough load balancer delivers unchanged.` : "Only a LoadBalancer Service whose status carries an ingress IP gets that rule.",
      "svc-chain": facts["svc-chain"] ? "The rules hold a KUBE-SVC chain for its port, with one rule per ready endpoint." : `kube-proxy writes no chain for a ${type === "Headless" ? "headless" : "ExternalName"} Service: there is no virtual address to translate.`,
      "dns-only": facts["dns-only"] ? `No rule in the generated iptables-save mentions ${name}: ${type === "Headless" ? "DNS answers with the Pod addresses (A records)" : "DNS answers with a CNAME to ${p.externalName}"}.` : `The generated rules do mention ${name}, so DNS is not all it gets.`,
    };
    const { options, rubric, correct } = arrange(candidates.map((c) => ({ ...c, correct: facts[c.id as keyof typeof facts], why: why[c.id as keyof typeof facts], step: null })), seededRandom(seed ^ 0x17));
    const packet = { src: drawn.client!.ip, dst: `${svc.clusterIP && svc.clusterIP !== "None" ? svc.clusterIP : drawn.backends[0]!.ip}:${svc.clusterIP && svc.clusterIP !== "None" ? svc.ports[0]!.port : drawn.backends[0]!.port!.number}`, protocol: "tcp" as const };
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `This Service is applied to a cluster whose kube-proxy runs in iptables mode. Which of these does it get?`,
      exhibits: [{ kind: "output", command: "cat service.yaml", text: serviceYaml(written) }],
      view: { options },
      key: { choices: correct },
      rubric: { options: rubric },
      misconceptions: [],
      hints: ["The five types build on one another, except two that have no virtual address at all.", "A NodePort Service is also a ClusterIP Service; a LoadBalancer Service is also a NodePort Service."],
      explanation: `${type === "Headless" ? "A headless Service (clusterIP: None)" : `A ${type} Service`} gets: ${options.filter((o) => correct.includes(o.id)).map((o) => o.text.replace(/\.$/, "").toLowerCase()).join("; ")}. ClusterIP is the base; NodePort adds a port on every node and a KUBE-EXT chain; LoadBalancer adds a rule for the load balancer's address. Headless and ExternalName Services have no virtual address, so kube-proxy writes nothing for them and DNS does the work.`,
      lab: pasteLab(clusterYaml, packet, 0),
    };
  },
};
