/**
 * `npm run sim -- plan …`: a VPC-native GKE cluster's address plan — the per-node Pod range for a
 * max-Pods value (the smallest block with at least twice as many addresses), how many nodes the Pod
 * range and the node subnet hold, the Service range's ClusterIPs, and the reasons GKE would refuse it.
 *
 * `npm run sim -- mtu …`: the Pod MTU a CNI sets on a node of a given MTU, and the bytes each layer of
 * its encapsulation costs.
 *
 * Malformed input (a CIDR that does not parse, max Pods outside 8–256, an unknown CNI) is exit 2; a
 * plan GKE would refuse prints its reasons and exits 1.
 */
import { InputError } from "../src/sim/net/errors";
import { planCluster, PLAN_FLAGS } from "../src/sim/kube/plan/plan";
import { CNIS, cniById, parseNodeMtu, podMtu } from "../src/sim/kube/mtu/cni";
import { one, parseArgs, print } from "./sim-args";

export function planCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--pod-range", "--max-pods", "--node-range", "--service-range"]);
  if (args.positional.length) throw new InputError(args.positional[0]!, "plan takes only flags: --pod-range CIDR --max-pods N [--node-range CIDR] [--service-range CIDR]");
  const podRange = one(args, "--pod-range");
  if (podRange === undefined) throw new InputError("--pod-range", "plan needs --pod-range CIDR (the Pod secondary range, e.g. 10.4.0.0/14)");
  const maxPods = one(args, "--max-pods") ?? "110";
  const plan = planCluster({ podRange, maxPods, nodeRange: one(args, "--node-range") ?? null, serviceRange: one(args, "--service-range") ?? null });
  print(args, { ...plan, problems: plan.problems.map((p) => ({ ...p, flag: PLAN_FLAGS[p.field] })) }, () => {
    const lines = [
      `Pod range      ${plan.podRange.cidr}  ${plan.podRange.addresses.toLocaleString("en")} addresses, ${plan.podRange.space.label}`,
      `max Pods/node  ${plan.maxPods} → per-node range ${plan.perNodeRange} (${plan.perNodeAddresses} addresses, at least 2 × ${plan.maxPods} = ${2 * plan.maxPods})`,
      `node blocks    ${plan.nodesByPodRange.toLocaleString("en")} (2^(${plan.perNodeRange.slice(1)} − ${plan.podRange.cidr.split("/")[1]}))${plan.firstNodeBlocks.length ? `: ${plan.firstNodeBlocks.join(", ")}${plan.nodesByPodRange > plan.firstNodeBlocks.length ? ", …" : ""}` : ""}`,
    ];
    if (plan.nodeRange) lines.push(`node subnet    ${plan.nodeRange.cidr}  ${plan.nodeRange.addresses.toLocaleString("en")} addresses − 4 reserved = ${plan.nodesBySubnet!.toLocaleString("en")} nodes`);
    if (plan.serviceRange) lines.push(`Service range  ${plan.serviceRange.cidr}  ${plan.serviceAddresses!.toLocaleString("en")} ClusterIPs (network and broadcast addresses excluded)`);
    if (plan.refused) {
      lines.push("", "REFUSED:", ...plan.problems.map((p) => `  ${PLAN_FLAGS[p.field]}: ${p.reason}`));
    } else {
      lines.push("", `max nodes      ${plan.maxNodes.toLocaleString("en")} (limited by the ${plan.limitedBy === "pod-range" ? "Pod range" : "node subnet"}), up to ${plan.maxPodsTotal.toLocaleString("en")} Pods`);
    }
    for (const note of plan.notes) lines.push(`note: ${note}`);
    return lines.join("\n");
  });
  if (plan.refused) process.exitCode = 1;
}

export function mtuCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--cni", "--node-mtu", "--geneve-options"]);
  if (args.positional.length) throw new InputError(args.positional[0]!, "mtu takes only flags: --cni NAME --node-mtu N");
  const cniText = one(args, "--cni");
  if (cniText === undefined) throw new InputError("--cni", `mtu needs --cni NAME, one of ${CNIS.map((c) => c.id).join(", ")}`);
  const cni = withFlag("--cni", () => cniById(cniText));
  const nodeMtu = withFlag("--node-mtu", () => parseNodeMtu(one(args, "--node-mtu") ?? "1460"));
  const optionsText = one(args, "--geneve-options");
  let geneveOptions = 0;
  if (optionsText !== undefined) {
    geneveOptions = Number(optionsText);
    if (cni.id !== "geneve") throw new InputError("--geneve-options", "only the geneve CNI carries Geneve options");
    if (!/^\d+$/.test(optionsText) || geneveOptions % 4 !== 0 || geneveOptions > 252) {
      throw new InputError("--geneve-options", "Geneve options are 0 to 252 bytes, a multiple of 4 (RFC 8926 §3.4: the length field counts 4-byte words)");
    }
  }
  const result = podMtu(cni, nodeMtu, { geneveOptions });
  print(args, { ...result, name: cni.name }, () => [
    `${cni.name} on a node with MTU ${nodeMtu}`,
    ...(result.layers.length
      ? [...result.layers.map((l) => `  ${String(l.bytes).padStart(3)}  ${l.name}  (${l.source})`), `  ${String(result.overhead).padStart(3)}  total overhead`]
      : ["  no encapsulation: Pod packets cross the VPC as they are"]),
    `Pod MTU ${result.podMtu}${cni.fixedPodMtu ? " (fixed by the CNI)" : result.overhead ? ` (${nodeMtu} − ${result.overhead})` : " (the node's)"}; TCP MSS ${result.tcpMss} (Pod MTU − 20 IPv4 − 20 TCP)`,
    cni.rule,
  ].join("\n"));
}

function withFlag<T>(flag: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${flag} ${error.input}`, error.reason);
    throw error;
  }
}
