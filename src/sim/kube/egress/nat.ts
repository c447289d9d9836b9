/**
 * Cloud NAT's source-port arithmetic, as Google Cloud documents it ("IP addresses and ports",
 * cloud.google.com/nat/docs/ports-and-addresses): each NAT IP address offers the 64,512 source ports
 * 1024–65535 per protocol; every VM the gateway serves reserves a block of them (min ports per VM,
 * 64 by default with static allocation, 32 with dynamic); a VM can hold as many concurrent connections
 * to ONE destination (IP, port, protocol) as it has ports, because only the 5-tuple must be unique —
 * the same NAT source port serves different destinations at once unless endpoint-independent mapping
 * (EIM) pins each NAT port to one internal IP:port.
 *
 * A GKE node is one VM here: its Pods' connections draw on the node's reservation whether they leave
 * with the Pod address (NAT for the secondary range) or with the node address (ip-masq-agent).
 *
 * What the model leaves out, on purpose: time (every connection is concurrent; the idle timeouts and
 * the TIME_WAIT hold are listed in NAT_TIMEOUTS but not simulated), the ENDPOINT_INDEPENDENCE_CONFLICT
 * drop, NAT rules, Private NAT, and which free port Cloud NAT actually picks (undocumented: we take the
 * lowest free one, so runs are deterministic). Dynamic allocation is modelled as its documented
 * outcome — a VM's block doubles from min towards max while the gateway has free ports — not its timing.
 */
import { InputError } from "../../net/errors";
import { ephemeralPort, seededRandom } from "../../random";

/** Source ports 1024–65535: Cloud NAT never uses the 1,024 well-known ports. */
export const FIRST_NAT_PORT = 1024;
export const PORTS_PER_NAT_IP = 65536 - FIRST_NAT_PORT;
export const DEFAULT_MIN_PORTS_STATIC = 64;
export const DEFAULT_MIN_PORTS_DYNAMIC = 32;
export const DEFAULT_MAX_PORTS_DYNAMIC = 65536;

/** Idle timeouts Cloud NAT applies by default, in seconds (each configurable on the gateway). */
export const NAT_TIMEOUTS = {
  tcpEstablished: 1200,
  tcpTransitory: 30,
  tcpTimeWait: 120,
  udp: 30,
  icmp: 30,
} as const;

export type Protocol = "TCP" | "UDP";

/**
 * A wrong model the simulator can run (for the interview engine's misconceptions):
 * - `all-65536-ports`: each NAT IP has 65,536 usable ports (forgets 0–1023);
 * - `no-port-reuse`: a NAT port carries one connection, whatever its destination;
 * - `unlimited-per-destination`: a VM may open any number of connections to one destination.
 */
export type NatModel = "real" | "all-65536-ports" | "no-port-reuse" | "unlimited-per-destination";
export const NAT_MODELS: readonly NatModel[] = ["all-65536-ports", "no-port-reuse", "unlimited-per-destination"];

export interface NatConfigInput {
  /** How many NAT IP addresses the gateway has (manual allocation), 1–300. */
  readonly natIps: number;
  /** minPortsPerVm; default 64 (static) or 32 (dynamic). Rounded up to a power of two. */
  readonly minPorts?: number | undefined;
  /** maxPortsPerVm, only with dynamic allocation; default 65,536. */
  readonly maxPorts?: number | undefined;
  readonly dynamic?: boolean | undefined;
  /** enableEndpointIndependentMapping; cannot be combined with dynamic allocation. */
  readonly eim?: boolean | undefined;
}

export interface NatConfig {
  readonly natIps: number;
  readonly minPorts: number;
  readonly maxPorts: number | null;
  readonly dynamic: boolean;
  readonly eim: boolean;
  /** The NAT IP addresses, from 192.0.2.0/24 (documentation space, RFC 5737) in place of real ones. */
  readonly natIpAddresses: readonly string[];
  /** What was adjusted (a min rounded up), for the CLI and lab to say. */
  readonly notes: readonly string[];
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Checks a gateway's settings the way the Compute API does; throws InputError naming the field. */
export function natConfig(input: NatConfigInput): NatConfig {
  const dynamic = input.dynamic ?? false;
  const eim = input.eim ?? false;
  if (!Number.isInteger(input.natIps) || input.natIps < 1 || input.natIps > 300) throw new InputError(String(input.natIps), "NAT IPs must be a whole number from 1 to 300");
  if (dynamic && eim) throw new InputError("eim", "dynamic port allocation and endpoint-independent mapping cannot both be on (the API refuses it)");
  const notes: string[] = [];
  let minPorts = input.minPorts ?? (dynamic ? DEFAULT_MIN_PORTS_DYNAMIC : DEFAULT_MIN_PORTS_STATIC);
  if (!Number.isInteger(minPorts) || minPorts < 2 || minPorts > 65536) throw new InputError(String(input.minPorts), "min ports per VM must be a whole number from 2 to 65,536");
  if (dynamic && (minPorts < 32 || !isPowerOfTwo(minPorts))) throw new InputError(String(minPorts), "with dynamic allocation, min ports per VM must be a power of two, at least 32");
  // Static allocation: the Compute API's RouterNat.minPortsPerVm "is rounded up to the nearest power
  // of 2. For example, if the value of this field is 50, at least 64 ports are allocated to a VM"
  // (Compute Engine API reference, RouterNat). Dynamic allocation instead requires a power of two ≥ 32.
  if (!isPowerOfTwo(minPorts)) {
    notes.push(`min ports ${minPorts} rounded up to ${nextPowerOfTwo(minPorts)} (Cloud NAT reserves a power of two)`);
    minPorts = nextPowerOfTwo(minPorts);
  }
  let maxPorts: number | null = null;
  if (input.maxPorts !== undefined) {
    if (!dynamic) throw new InputError(String(input.maxPorts), "max ports per VM only applies with dynamic port allocation");
    if (!isPowerOfTwo(input.maxPorts) || input.maxPorts <= minPorts || input.maxPorts > 65536) throw new InputError(String(input.maxPorts), `max ports per VM must be a power of two above min ports (${minPorts}), at most 65,536`);
    maxPorts = input.maxPorts;
  } else if (dynamic) maxPorts = DEFAULT_MAX_PORTS_DYNAMIC;
  const natIpAddresses = Array.from({ length: input.natIps }, (_, i) => natIpAddress(i));
  return { natIps: input.natIps, minPorts, maxPorts, dynamic, eim, natIpAddresses, notes };
}

/** NAT IP number i as an address: 192.0.2.1…, then 198.51.100.x, 203.0.113.x (RFC 5737 space). */
export function natIpAddress(i: number): string {
  const nets = ["192.0.2", "198.51.100", "203.0.113"];
  return `${nets[Math.floor(i / 254)] ?? "192.0.2"}.${(i % 254) + 1}`;
}

/** The ports one NAT IP address offers, under a model. */
export function portsPerNatIp(model: NatModel = "real"): number {
  return model === "all-65536-ports" ? 65536 : PORTS_PER_NAT_IP;
}

/** How many VMs one NAT IP serves when each reserves `portsPerVm` (documented: 64 ports ⇒ 1,008 VMs). */
export function vmsPerNatIp(portsPerVm: number, model: NatModel = "real"): number {
  return Math.floor(portsPerNatIp(model) / portsPerVm);
}

/** NAT IPs a gateway needs so `vms` VMs each get their minimum ports. */
export function natIpsNeeded(vms: number, portsPerVm: number, model: NatModel = "real"): number {
  const per = vmsPerNatIp(portsPerVm, model);
  return per === 0 ? Infinity : Math.ceil(vms / per);
}

/** A run of consecutive NAT source ports on one NAT IP, reserved for one VM. */
export interface PortBlock {
  readonly natIp: string;
  readonly first: number;
  readonly count: number;
}

export interface VmAllocation {
  readonly vm: number;
  readonly name: string;
  /** The VM's node IP (primary range 10.128.0.0/20); Pod i on it is 10.4.(vm).(i+2) in the Pod range. */
  readonly nodeIp: string;
  /** Empty when the gateway had no ports left for it: every connection it opens is dropped. */
  readonly blocks: readonly PortBlock[];
  readonly ports: number;
}

export interface Destination {
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** N concurrent connections from one VM (node or one of its Pods) to one destination. */
export interface FlowInput {
  readonly vm: number;
  /** The source address inside the VPC (after ip-masq-agent, if it masqueraded); default the node IP. */
  readonly source?: string | undefined;
  readonly destination: Destination;
  readonly count: number;
}

export interface Connection {
  readonly flow: number;
  readonly index: number;
  readonly vm: number;
  readonly source: string;
  readonly sourcePort: number;
  readonly destination: Destination;
  /** The NAT IP:port it leaves with, or null when dropped. */
  readonly nat: { readonly ip: string; readonly port: number } | null;
  readonly drop: null | {
    readonly reason: "OUT_OF_RESOURCES";
    readonly why: string;
  };
}

export interface NatRun {
  readonly config: NatConfig;
  readonly model: NatModel;
  readonly vmsPerNatIp: number;
  readonly natIpsNeeded: number;
  readonly totalPorts: number;
  readonly vms: readonly VmAllocation[];
  readonly connections: readonly Connection[];
  readonly translated: number;
  readonly dropped: number;
  readonly firstDrop: Connection | null;
}

export function nodeIp(vm: number): string {
  return `10.128.${Math.floor((vm + 2) / 256)}.${(vm + 2) % 256}`;
}

/**
 * Reserves ports for `vmCount` VMs, translates every connection of `flows` in order and says which
 * are dropped. Deterministic for a seed (the seed picks the internal ephemeral source ports).
 *
 * @example
 * const run = runNat({ natIps: 1 }, 2, [{ vm: 0, destination: { ip: "8.8.8.8", port: 443, protocol: "TCP" }, count: 65 }]);
 * run.firstDrop?.index; // 64: the 65th connection to one destination finds all 64 ports in use
 */
export function runNat(configInput: NatConfigInput, vmCount: number, flows: readonly FlowInput[], seed = 1, model: NatModel = "real"): NatRun {
  const config = natConfig(configInput);
  if (!Number.isInteger(vmCount) || vmCount < 1 || vmCount > 100000) throw new InputError(String(vmCount), "VMs must be a whole number from 1 to 100,000");
  const perIp = vmsPerNatIp(config.minPorts, model);
  const poolPerIp = portsPerNatIp(model);
  const firstPort = model === "all-65536-ports" ? 0 : FIRST_NAT_PORT;
  // Static reservation: VM i takes the i-th min-ports block, NAT IP by NAT IP.
  const blocks: PortBlock[][] = [];
  const used = config.natIpAddresses.map(() => 0); // ports handed out on each NAT IP, from its first port up
  for (let vm = 0; vm < vmCount; vm++) {
    const ipIndex = Math.floor(vm / Math.max(perIp, 1));
    if (perIp > 0 && ipIndex < config.natIps) {
      blocks.push([{ natIp: config.natIpAddresses[ipIndex]!, first: firstPort + used[ipIndex]!, count: config.minPorts }]);
      used[ipIndex] = used[ipIndex]! + config.minPorts;
    } else blocks.push([]);
  }
  for (const flow of flows) {
    if (!Number.isInteger(flow.vm) || flow.vm < 0 || flow.vm >= vmCount) throw new InputError(String(flow.vm), `a flow's VM must be 0–${vmCount - 1}`);
    if (!Number.isInteger(flow.count) || flow.count < 1 || flow.count > 200000) throw new InputError(String(flow.count), "connections must be a whole number from 1 to 200,000");
  }
  // Dynamic allocation: a VM whose busiest destination needs more than it holds doubles its
  // reservation, up to max, while some NAT IP still has a free run of the extra size.
  if (config.dynamic && config.maxPorts !== null) {
    const need = new Map<number, number>();
    const perDest = new Map<string, number>();
    for (const flow of flows) {
      const key = `${flow.vm}|${flow.destination.ip}|${flow.destination.port}|${flow.destination.protocol}`;
      const n = (perDest.get(key) ?? 0) + flow.count;
      perDest.set(key, n);
      need.set(flow.vm, Math.max(need.get(flow.vm) ?? 0, n));
    }
    for (const vm of [...need.keys()].sort((a, b) => a - b)) {
      let held = blocks[vm]!.reduce((s, b) => s + b.count, 0);
      if (held === 0) continue;
      while (held < need.get(vm)! && held * 2 <= config.maxPorts) {
        const ipIndex = used.findIndex((u) => poolPerIp - u >= held);
        if (ipIndex < 0) break;
        blocks[vm]!.push({ natIp: config.natIpAddresses[ipIndex]!, first: firstPort + used[ipIndex]!, count: held });
        used[ipIndex] = used[ipIndex]! + held;
        held *= 2;
      }
    }
  }
  const vms: VmAllocation[] = blocks.map((b, vm) => ({ vm, name: `node-${vm}`, nodeIp: nodeIp(vm), blocks: b, ports: b.reduce((s, x) => s + x.count, 0) }));

  const random = seededRandom(seed);
  const tuples = new Set<string>(); // NAT ip:port + destination: the 5-tuple that must be unique
  const portBusy = new Set<string>(); // NAT ip:port already carrying something (no-port-reuse, EIM)
  const internalPorts = new Set<string>();
  const cursors = new Map<string, number>(); // where the next port search starts, by VM (and destination)
  const connections: Connection[] = [];
  let firstDrop: Connection | null = null;
  flows.forEach((flow, flowIndex) => {
    const source = flow.source ?? vms[flow.vm]!.nodeIp;
    const vm = vms[flow.vm]!;
    for (let index = 0; index < flow.count; index++) {
      let sourcePort = ephemeralPort(random);
      while (internalPorts.has(`${source}|${sourcePort}|${flow.destination.protocol}`)) sourcePort = sourcePort === 60999 ? 32768 : sourcePort + 1;
      internalPorts.add(`${source}|${sourcePort}|${flow.destination.protocol}`);
      const dest = `${flow.destination.ip}|${flow.destination.port}|${flow.destination.protocol}`;
      let nat: Connection["nat"] = null;
      if (model === "unlimited-per-destination" && vm.ports > 0) {
        nat = { ip: vm.blocks[0]!.natIp, port: vm.blocks[0]!.first + (index % vm.blocks[0]!.count) };
      } else {
        // The lowest free port of the VM's blocks, in order. Nothing is released during a run, so the ports
        // below a cursor stay taken: each search starts where the last one for the same key stopped (per
        // destination when ports are shared across destinations, per VM when each port is exclusive).
        const exclusive = config.eim || model === "no-port-reuse";
        const cursorKey = exclusive ? `${flow.vm}` : `${flow.vm}|${dest}`;
        let position = cursors.get(cursorKey) ?? 0;
        let offset = 0;
        search: for (const block of vm.blocks) {
          if (position >= offset + block.count) {
            offset += block.count;
            continue;
          }
          for (let p = block.first + Math.max(0, position - offset); p < block.first + block.count; p++, position++) {
            const natPort = `${block.natIp}|${p}|${flow.destination.protocol}`;
            if (exclusive ? portBusy.has(natPort) : tuples.has(`${natPort}|${dest}`)) continue;
            portBusy.add(natPort);
            tuples.add(`${natPort}|${dest}`);
            nat = { ip: block.natIp, port: p };
            position++;
            break search;
          }
          offset += block.count;
        }
        cursors.set(cursorKey, position);
      }
      const drop: Connection["drop"] = nat
        ? null
        : {
            reason: "OUT_OF_RESOURCES",
            why: vm.ports === 0
              ? `${vm.name} holds no NAT ports: ${config.natIps} NAT IP${config.natIps === 1 ? "" : "s"} × ${vmsPerNatIp(config.minPorts, model)} VMs each (${portsPerNatIp(model).toLocaleString("en")} ÷ ${config.minPorts}) are all reserved`
              : config.eim || model === "no-port-reuse"
                ? `${vm.name}'s ${vm.ports} NAT ports are each pinned to another connection${config.eim ? " (endpoint-independent mapping: one internal IP:port per NAT port)" : ""}`
                : `${vm.name}'s ${vm.ports} NAT ports all already carry a connection to ${flow.destination.ip}:${flow.destination.port}/${flow.destination.protocol}; a 5-tuple must be unique`,
          };
      const c: Connection = { flow: flowIndex, index, vm: flow.vm, source, sourcePort, destination: flow.destination, nat, drop };
      if (drop && !firstDrop) firstDrop = c;
      connections.push(c);
    }
  });
  const dropped = connections.filter((c) => c.drop).length;
  return {
    config, model,
    vmsPerNatIp: perIp,
    natIpsNeeded: natIpsNeeded(vmCount, config.minPorts, model),
    totalPorts: config.natIps * poolPerIp,
    vms, connections,
    translated: connections.length - dropped,
    dropped,
    firstDrop,
  };
}

/** Parses `IP:PORT[/PROTO]` (protocol TCP by default). */
export function parseDestination(text: string): Destination {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})(?:\/(tcp|udp))?$/i.exec(text.trim());
  if (!m) throw new InputError(text, "expected IP:PORT or IP:PORT/PROTO, e.g. 8.8.8.8:443/tcp");
  if (m[1]!.split(".").some((o) => Number(o) > 255)) throw new InputError(text, "each part of an IPv4 address is 0–255");
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new InputError(text, "the port must be 1–65535");
  return { ip: m[1]!, port, protocol: (m[3] ?? "tcp").toUpperCase() as Protocol };
}

/** A whole number from text, or an InputError naming the field. */
export function parseCount(text: string, field: string, low: number, high: number): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(text, `${field} must be a whole number`);
  const n = Number(text);
  if (n < low || n > high) throw new InputError(text, `${field} must be from ${low.toLocaleString("en")} to ${high.toLocaleString("en")}`);
  return n;
}

/**
 * Benchmark workload: 20 gateways of 1,008 VMs (a full NAT IP at 64 ports) where one VM opens 4,096
 * connections to one destination under dynamic allocation. Returns the connections translated or dropped.
 */
export function benchNat(): number {
  let n = 0;
  for (let i = 0; i < 20; i++) {
    n += runNat({ natIps: 2, minPorts: 64, dynamic: true, maxPorts: 4096 }, 1008, [{ vm: 0, destination: { ip: "8.8.8.8", port: 443, protocol: "TCP" }, count: 4096 }], i).connections.length;
  }
  return n;
}
