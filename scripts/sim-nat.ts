/**
 * `npm run sim -- nat --vms N --nat-ips K [--min-ports P] [--max-ports Q] [--dynamic] [--eim]
 * [--connections C --to IP:PORT[/PROTO]] [--json]`: Cloud NAT's port arithmetic — the ports each VM
 * reserves, how many VMs one NAT IP serves, how many NAT IPs N VMs need — and, with --connections,
 * whether C concurrent connections from one VM (node-0) to one destination fit, and the first one
 * dropped with OUT_OF_RESOURCES.
 *
 * Malformed input is exit 2 with one line naming the flag; a run where connections are dropped exits 1.
 */
import { InputError } from "../src/sim/net/errors";
import { NAT_TIMEOUTS, PORTS_PER_NAT_IP, parseCount, parseDestination, runNat } from "../src/sim/kube/egress/nat";
import { one, parseArgs, print } from "./sim-args";

const BOOLEAN = ["--dynamic", "--eim"];

export function natCommand(argv: readonly string[]): void {
  const switches = new Set(argv.filter((a) => BOOLEAN.includes(a)));
  const args = parseArgs(argv.filter((a) => !BOOLEAN.includes(a)), ["--vms", "--nat-ips", "--min-ports", "--max-ports", "--connections", "--to", "--seed"]);
  if (args.positional.length) throw new InputError(args.positional[0]!, "nat takes only flags: --vms N --nat-ips K [--min-ports P] [--max-ports Q] [--dynamic] [--eim] [--connections C --to IP:PORT]");
  const vmsText = one(args, "--vms");
  if (vmsText === undefined) throw new InputError("--vms", "nat needs --vms N (the VMs or GKE nodes the gateway serves)");
  const vms = flag("--vms", () => parseCount(vmsText, "VMs", 1, 100000));
  const natIps = flag("--nat-ips", () => parseCount(one(args, "--nat-ips") ?? "1", "NAT IPs", 1, 300));
  const minText = one(args, "--min-ports");
  const maxText = one(args, "--max-ports");
  const minPorts = minText === undefined ? undefined : flag("--min-ports", () => parseCount(minText, "min ports per VM", 2, 65536));
  const maxPorts = maxText === undefined ? undefined : flag("--max-ports", () => parseCount(maxText, "max ports per VM", 2, 65536));
  const connText = one(args, "--connections");
  const toText = one(args, "--to");
  if ((connText === undefined) !== (toText === undefined)) throw new InputError(connText === undefined ? "--to" : "--connections", "--connections C and --to IP:PORT go together");
  const connections = connText === undefined ? 0 : flag("--connections", () => parseCount(connText, "connections", 1, 200000));
  const destination = toText === undefined ? null : flag("--to", () => parseDestination(toText));
  const seed = flag("--seed", () => parseCount(one(args, "--seed") ?? "1", "seed", 0, 2 ** 31));
  const dynamic = switches.has("--dynamic");
  const eim = switches.has("--eim");
  const run = flag(maxText !== undefined && !dynamic ? "--max-ports" : eim && dynamic ? "--eim" : minText !== undefined ? "--min-ports" : "--nat-ips", () =>
    runNat({ natIps, minPorts, maxPorts, dynamic, eim }, vms, destination ? [{ vm: 0, destination, count: connections }] : [], seed));
  const node0 = run.vms[0]!;
  const unserved = run.vms.filter((v) => v.ports === 0).length;
  const fits = run.firstDrop === null;
  print(args, {
    natIps, vms, minPortsPerVm: run.config.minPorts, maxPortsPerVm: run.config.maxPorts, dynamic, endpointIndependentMapping: eim,
    portsPerNatIp: PORTS_PER_NAT_IP, vmsPerNatIp: run.vmsPerNatIp, natIpsNeeded: run.natIpsNeeded, vmsWithoutPorts: unserved,
    node0: { ports: node0.ports, blocks: node0.blocks },
    connections: destination ? { requested: connections, to: destination, translated: run.translated, dropped: run.dropped, fits, firstDropped: run.firstDrop ? { index: run.firstDrop.index + 1, reason: run.firstDrop.drop!.reason, why: run.firstDrop.drop!.why } : null } : null,
    timeouts: NAT_TIMEOUTS,
    notes: run.config.notes,
  }, () => {
    const lines = [
      `gateway       ${natIps} NAT IP${natIps === 1 ? "" : "s"} × ${PORTS_PER_NAT_IP.toLocaleString("en")} ports (1024–65535) = ${run.totalPorts.toLocaleString("en")} ports per protocol`,
      `allocation    ${dynamic ? `dynamic, ${run.config.minPorts}–${run.config.maxPorts!.toLocaleString("en")} ports per VM` : `static, ${run.config.minPorts} ports per VM`}${eim ? ", endpoint-independent mapping" : ""}`,
      `VMs per IP    ${run.vmsPerNatIp.toLocaleString("en")} (${PORTS_PER_NAT_IP.toLocaleString("en")} ÷ ${run.config.minPorts}, rounded down)`,
      `NAT IPs       ${run.natIpsNeeded.toLocaleString("en")} needed for ${vms.toLocaleString("en")} VMs; ${natIps} configured${unserved ? ` — ${unserved.toLocaleString("en")} ${unserved === 1 ? "VM gets no ports and every connection it opens" : "VMs get no ports and every connection they open"} is dropped (OUT_OF_RESOURCES)` : ""}`,
      `node-0        ${node0.ports ? `${node0.ports} ports: ${node0.blocks.map((b) => `${b.natIp}:${b.first}–${b.first + b.count - 1}`).join(", ")}` : "no ports"}`,
    ];
    if (destination) {
      const d = `${destination.ip}:${destination.port}/${destination.protocol}`;
      lines.push("", `${connections.toLocaleString("en")} concurrent connections from node-0 to ${d}: ${fits ? "all fit" : `${run.translated.toLocaleString("en")} translated, ${run.dropped.toLocaleString("en")} dropped`}`);
      if (run.firstDrop) lines.push(`first dropped: connection #${run.firstDrop.index + 1}, ${run.firstDrop.drop!.reason}: ${run.firstDrop.drop!.why}`);
    }
    for (const note of run.config.notes) lines.push(`note: ${note}`);
    return lines.join("\n");
  });
  if (!fits) process.exitCode = 1;
}

function flag<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${name} ${error.input}`, error.reason);
    throw error;
  }
}
