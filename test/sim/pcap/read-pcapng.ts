/**
 * A small pcapng reader for the tests (little-endian sections only, which is what the writer
 * makes): the blocks' types and the fields the tests look at. Written from the format's draft, apart
 * from the writer, so the two check each other.
 */
export interface ReadPacket {
  readonly interfaceId: number;
  readonly timestampUs: bigint;
  readonly data: Uint8Array;
  readonly comments: string[];
}

export interface ReadCapture {
  readonly blockTypes: number[];
  readonly sectionComments: string[];
  readonly linkTypes: number[];
  readonly packets: ReadPacket[];
}

function readOptions(view: DataView, start: number, end: number): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  let at = start;
  while (at + 4 <= end) {
    const code = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (code === 0) break;
    const value = new Uint8Array(view.buffer, view.byteOffset + at + 4, length);
    out.set(code, [...(out.get(code) ?? []), value]);
    at += 4 + Math.ceil(length / 4) * 4;
  }
  return out;
}

const text = (values: Uint8Array[] | undefined) => (values ?? []).map((v) => new TextDecoder().decode(v));

export function readPcapng(file: Uint8Array): ReadCapture {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const capture: ReadCapture = { blockTypes: [], sectionComments: [], linkTypes: [], packets: [] };
  let at = 0;
  while (at < file.length) {
    const type = view.getUint32(at, true);
    const total = view.getUint32(at + 4, true);
    if (total % 4 !== 0 || total < 12 || view.getUint32(at + total - 4, true) !== total) throw new Error(`block at ${at}: bad total length ${total}`);
    capture.blockTypes.push(type);
    if (type === 0x0a0d0d0a) {
      if (view.getUint32(at + 8, true) !== 0x1a2b3c4d) throw new Error("not a little-endian section");
      capture.sectionComments.push(...text(readOptions(view, at + 24, at + total - 4).get(1)));
    } else if (type === 1) {
      capture.linkTypes.push(view.getUint16(at + 8, true));
    } else if (type === 6) {
      const captured = view.getUint32(at + 20, true);
      const original = view.getUint32(at + 24, true);
      if (captured !== original) throw new Error(`packet at ${at} is truncated`);
      const ts = (BigInt(view.getUint32(at + 12, true)) << 32n) | BigInt(view.getUint32(at + 16, true));
      const dataStart = at + 28;
      const optionsStart = dataStart + Math.ceil(captured / 4) * 4;
      capture.packets.push({
        interfaceId: view.getUint32(at + 8, true),
        timestampUs: ts,
        data: file.slice(dataStart, dataStart + captured),
        comments: text(readOptions(view, optionsStart, at + total - 4).get(1)),
      });
    }
    at += total;
  }
  return capture;
}

/** The one's-complement sum a correct checksum brings to 0xffff (RFC 1071). */
export function onesComplementSum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i]! << 8) | (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}
