/**
 * `npm run sim -- trace … --pcap FILE [--from STEP] [--to STEP]`: the trace is printed as before and
 * its packets written to FILE, byte for byte what the library writes; a path that cannot be written
 * or a range that names no step exits 2 naming it, before anything is printed. Most cases run through
 * `runCli` in this process (a process each would cost seconds); one runs as a real process.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../scripts/sim";
import { computeTrace, toCoreTrace } from "../../src/sim/index";
import { runKubeScenario } from "../../src/sim/kube/index";
import { traceToPcapng } from "../../src/sim/pcap/index";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-pcap-cli-"));
});

function run(...args: string[]): { out: string[]; err: string[]; status: number } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, "error").mockImplementation((line: string) => void err.push(line));
  runCli(args);
  return { out, err, status: Number(process.exitCode ?? 0) };
}

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe("npm run sim -- trace --pcap", () => {
  it("writes the flagship's capture as a process, still printing the trace", () => {
    const file = join(dir, "tokyo.pcapng");
    const out = sim("trace", "cloudflare-gke", "--set", "city=tokyo", "--pcap", file);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^cloudflare-gke {2}city=tokyo /);
    expect(out.stderr).toContain(`wrote 18 packets to ${file}`);
    expect(new Uint8Array(readFileSync(file))).toEqual(traceToPcapng(toCoreTrace(computeTrace("cloudflare-gke", { city: "tokyo" }, 0))));
  });

  it("keeps --json on stdout pure JSON", () => {
    const file = join(dir, "json.pcapng");
    const { out, status } = run("trace", "cloudflare-gke", "--set", "cloudflare=off", "--pcap", file, "--json");
    expect(status).toBe(0);
    expect(JSON.parse(out.join("\n")).params.cloudflare).toBe("off");
    expect(new Uint8Array(readFileSync(file))).toEqual(traceToPcapng(toCoreTrace(computeTrace("cloudflare-gke", { cloudflare: "off" }, 0))));
  });

  it("writes an in-cluster scenario's capture, cut to a step range", () => {
    const file = join(dir, "clusterip.pcapng");
    const { out, err, status } = run("trace", "clusterip-from-pod", "--pcap", file, "--from", "netfilter-node-a", "--to", "server");
    expect(status, err.join("\n")).toBe(0);
    expect(out.join("\n")).toContain("netfilter-node-a");
    expect(err).toContain(`wrote 2 packets to ${file}`);
    const expected = traceToPcapng(runKubeScenario("clusterip-from-pod", "default", 0), { from: "netfilter-node-a", to: "server" });
    expect(new Uint8Array(readFileSync(file))).toEqual(expected);
  });

  it("documents --pcap, --from and --to in --help", () => {
    const { out } = run("--help");
    expect(out.join("\n")).toContain("--pcap FILE [--from STEP] [--to STEP]");
  });

  it.each([
    [["trace", "cloudflare-gke", "--pcap", "/nonexistent-dir/x.pcapng"], "/nonexistent-dir/x.pcapng: cannot write the capture there (no such directory)"],
    [["trace", "clusterip-from-pod", "--pcap", "/nonexistent-dir/x.pcapng"], "/nonexistent-dir/x.pcapng: cannot write the capture there (no such directory)"],
    [["trace", "cloudflare-gke", "--pcap", "/"], "/: cannot write the capture there (is a directory)"],
    [["trace", "cloudflare-gke", "--pcap", "FILE", "--from", "request:nowhere"], "--from request:nowhere: no step of the trace has this id; its steps are request:browser,"],
    [["trace", "clusterip-from-pod", "--pcap", "FILE", "--to", "elsewhere"], "--to elsewhere: no step of the trace has this id; its steps are dns, client,"],
    [["trace", "cloudflare-gke", "--pcap", "FILE", "--from", "response:pod", "--to", "request:gfe"], "--from response:pod: this step comes after request:gfe in the trace"],
    [["trace", "cloudflare-gke", "--from", "request:gfe"], "--from: --from chooses the steps of a capture; give --pcap FILE too"],
  ])("exits 2 naming the input for %j, printing nothing", (args, message) => {
    const { out, err, status } = run(...args.map((a) => (a === "FILE" ? join(dir, "unused.pcapng") : a)));
    expect(status).toBe(2);
    expect(err.join("\n")).toContain(`error: ${message}`);
    expect(out).toEqual([]);
  });
});
