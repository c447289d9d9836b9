/**
 * `npm run sim -- cni --cni NAME --path same-node|cross-node|host-network|same-pod [--overlay vxlan|geneve|ipip|none] [--json]`:
 * one packet's path under a CNI, hop by hop, with the overlay's outer header bytes when there is one.
 */
import { InputError } from "../src/sim/net/errors";
import { CNI_ALIASES, CNI_IDS, PATH_KINDS, cniPath } from "../src/sim/kube/cni/path";
import { one, parseArgs, print } from "./sim-args";

export function cniCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--cni", "--path", "--overlay"]);
  if (args.positional.length) throw new InputError(args.positional[0]!, "cni takes only flags: --cni NAME --path KIND [--overlay KIND]");
  const cni = one(args, "--cni");
  if (cni === undefined) throw new InputError("--cni", `cni needs --cni NAME, one of ${[...CNI_IDS, ...Object.keys(CNI_ALIASES)].join(", ")}`);
  const path = one(args, "--path");
  if (path === undefined) throw new InputError("--path", `cni needs --path, one of ${PATH_KINDS.join(", ")}`);
  const overlay = one(args, "--overlay");
  const result = cniPath({ cni, path, ...(overlay !== undefined ? { overlay } : {}) });
  const enc = result.encapsulation;
  const json = {
    cni: result.cni,
    name: result.name,
    path: result.path,
    overlay: result.overlay,
    mtuCni: result.mtuCni,
    from: result.from,
    to: result.to,
    hops: result.hops.map((h) => ({
      id: h.id, kind: h.kind, where: { node: h.node, namespace: h.namespace, interface: h.iface }, what: h.what, decidedBy: h.decidedBy,
      src: h.src, dst: h.dst, ttl: h.ttl, decrementsTtl: h.decrementsTtl, ...(h.outer ? { outer: h.outer } : {}), sub: h.sub,
    })),
    encapsulation: enc
      ? { kind: enc.kind, frameOverhead: enc.frameOverhead, mtuOverhead: enc.mtuOverhead, frameHex: enc.frameHex, layers: enc.layers.map((l) => ({ name: l.name, bytes: l.bytes, hex: l.hex, countsAgainstMtu: l.countsAgainstMtu, fields: l.fields })) }
      : null,
    summary: result.summary,
  };
  print(args, json, () => [
    `${result.name}: ${result.path}${result.overlay !== "none" ? `, overlay ${result.overlay}` : ""}`,
    ...result.hops.map((h, i) => [
      `${String(i + 1).padStart(2)}. [${h.node} / ${h.namespace} / ${h.iface}] ${h.src} → ${h.dst} TTL ${h.ttl}${h.decrementsTtl ? " (−1)" : ""}${h.outer ? `  outer ${h.outer.src} → ${h.outer.dst} TTL ${h.outer.ttl} ${h.outer.protocol}` : ""}`,
      `    ${h.what}`,
      `    decided by: ${h.decidedBy}`,
      ...h.sub.map((s) => `      · ${s.label}: ${s.detail}`),
    ].join("\n")),
    ...(enc
      ? [
          `Outer headers of the example packet (${enc.frameOverhead} bytes in front of the Pod's packet, ${enc.mtuOverhead} counted against the MTU):`,
          ...enc.layers.flatMap((l) => [`  ${l.name} (${l.bytes} bytes${l.countsAgainstMtu ? "" : ", outside the MTU"}): ${l.hex}`, ...l.fields.map((f) => `      +${String(f.offset).padStart(2)} ${f.name.padEnd(24)} ${f.hex.padEnd(18)} ${f.meaning}`)]),
        ]
      : []),
    result.summary,
  ].join("\n"));
}
