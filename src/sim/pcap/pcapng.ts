import { ByteWriter, utf8 } from "./bytes";

/**
 * The pcapng file format (draft-ietf-opsawg-pcapng): a Section Header Block, one Interface
 * Description Block, and one Enhanced Packet Block per packet, little-endian throughout. Packets
 * are raw IP (LINKTYPE_RAW: the first nibble says IPv4 or IPv6), because the trace models no link
 * layer between its devices.
 */

export const LINKTYPE_RAW = 101;

const BLOCK = { section: 0x0a0d0d0a, interface: 0x00000001, enhancedPacket: 0x00000006 } as const;
const OPTION = { end: 0, comment: 1, shbUserAppl: 4, ifName: 2, ifDescription: 3, ifTsresol: 9 } as const;

export interface PcapngPacket {
  /** Microseconds since the Unix epoch. */
  readonly timestampUs: number;
  readonly data: Uint8Array;
  /** Shown by Wireshark as the packet comment (`frame.comment`). */
  readonly comment?: string;
}

export interface PcapngMeta {
  /** The section's comment: what the capture is of. */
  readonly comment?: string;
  /** The interface's name and description. */
  readonly interfaceName: string;
  readonly interfaceDescription?: string;
}

function options(w: ByteWriter, list: readonly [number, Uint8Array][]): void {
  for (const [code, value] of list) w.u16(code, true).u16(value.length, true).bytes(value).pad(4);
  w.u16(OPTION.end, true).u16(0, true);
}

/** A block: type, total length, body, total length again (so a reader can walk backwards). */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length;
  return new ByteWriter().u32(type, true).u32(total, true).bytes(body).u32(total, true).finish();
}

/**
 * A whole pcapng file.
 *
 * @example writePcapng([{ timestampUs: 0, data: ipv4Bytes, comment: "request:browser" }], { interfaceName: "packet-lab" })
 */
export function writePcapng(packets: readonly PcapngPacket[], meta: PcapngMeta): Uint8Array {
  const out = new ByteWriter();

  const shb = new ByteWriter().u32(0x1a2b3c4d, true).u16(1, true).u16(0, true).u32(0xffffffff, true).u32(0xffffffff, true);
  options(shb, [[OPTION.shbUserAppl, utf8("Packet Lab simulator")], ...(meta.comment ? [[OPTION.comment, utf8(meta.comment)] as [number, Uint8Array]] : [])]);
  out.bytes(block(BLOCK.section, shb.finish()));

  const idb = new ByteWriter().u16(LINKTYPE_RAW, true).u16(0, true).u32(262144, true);
  options(idb, [
    [OPTION.ifName, utf8(meta.interfaceName)],
    ...(meta.interfaceDescription ? [[OPTION.ifDescription, utf8(meta.interfaceDescription)] as [number, Uint8Array]] : []),
    // Microsecond timestamps (10^-6), the format's default, said outright for readers that ask.
    [OPTION.ifTsresol, Uint8Array.of(6)],
  ]);
  out.bytes(block(BLOCK.interface, idb.finish()));

  for (const p of packets) {
    const ts = Math.max(0, Math.round(p.timestampUs));
    const epb = new ByteWriter()
      .u32(0, true)
      .u32(Math.floor(ts / 2 ** 32), true)
      .u32(ts % 2 ** 32, true)
      .u32(p.data.length, true)
      .u32(p.data.length, true)
      .bytes(p.data)
      .pad(4);
    options(epb, p.comment ? [[OPTION.comment, utf8(p.comment)]] : []);
    out.bytes(block(BLOCK.enhancedPacket, epb.finish()));
  }
  return out.finish();
}
