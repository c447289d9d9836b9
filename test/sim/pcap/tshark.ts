/**
 * Debian's tshark as a referee: dissects a capture file and returns, per frame, every occurrence of
 * each field asked for (outer header first), as tshark's JSON output gives them.
 */
import { spawnSync } from "node:child_process";

/** null when tshark can run here, else one line saying why not and how to get it. */
export function tsharkUnavailable(): string | null {
  const probe = spawnSync("tshark", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    return `the pcap referee needs Debian's tshark (apt-get install -y tshark, as .ci/run does): ${(probe.error?.message ?? probe.stderr).trim()}`;
  }
  return null;
}

export type Frame = Record<string, string[]>;

/** Checksums are verified only when asked: ask for all of them. */
export const CHECKSUM_PREFS = ["ip.check_checksum:TRUE", "tcp.check_checksum:TRUE", "udp.check_checksum:TRUE", "sctp.checksum:CRC-32C"];

/**
 * Frames of `file` with the given fields. `prefs` are tshark `-o` preferences; `decodeAs` its `-d`
 * rules.
 */
export function dissect(file: string, fields: readonly string[], prefs: readonly string[] = [], decodeAs: readonly string[] = []): Frame[] {
  const args = ["-r", file, "-T", "json", ...fields.flatMap((f) => ["-e", f]), ...prefs.flatMap((p) => ["-o", p]), ...decodeAs.flatMap((d) => ["-d", d])];
  const run = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) throw new Error(`tshark ${args.join(" ")} failed: ${run.error?.message ?? run.stderr}`);
  const frames = JSON.parse(run.stdout) as { _source: { layers: Frame } }[];
  return frames.map((f) => f._source.layers);
}

/** Expert-info severities as tshark prints them (epan/proto.h PI_COMMENT … PI_ERROR). */
export const SEVERITY = { comment: 0x100000, chat: 0x200000, note: 0x400000, warn: 0x600000, error: 0x800000 } as const;
