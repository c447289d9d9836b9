/**
 * `npm run sim -- rov --vrps FILE PREFIX ORIGIN_ASN [--json]`: route-origin validation (RFC 6811 §2)
 * of one route against a VRP export (Routinator / rpki-client JSON, or Routinator's CSV). Prints the
 * state on the first line, then the VRPs that covered the route and those that matched.
 */
import { readFileSync, statSync } from "node:fs";
import { InputError } from "../src/sim/net/errors";
import { describeProblem, parseVrpExport } from "../src/sim/rpki/export";
import { formatAsn, parseAsn } from "../src/sim/rpki/asn";
import { formatPrefix, readPrefix } from "../src/sim/rpki/prefix";
import { vrpIndex, whyVrp } from "../src/sim/rpki/rov";
import { formatVrpTable, vrpJson } from "../src/sim/rpki/vrp";
import { one, parseArgs, print } from "./sim-args";

function readExport(file: string): string {
  try {
    if (statSync(file).isDirectory()) throw new InputError(file, "is a directory; give a VRP export file (JSON or CSV)");
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(file, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(error)})`);
  }
}

function indent(text: string): string {
  return text.split("\n").map((l) => `  ${l}`).join("\n");
}

export function rovCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--vrps"]);
  const file = one(args, "--vrps");
  if (!file) throw new InputError("--vrps", "give the VRP export, e.g. --vrps vrps.json (Routinator or rpki-client JSON, or Routinator CSV)");
  if (args.positional.length !== 2) {
    throw new InputError(args.positional.join(" "), "give a PREFIX and an ORIGIN_ASN, e.g. rov --vrps vrps.csv 192.0.2.0/24 AS64496");
  }
  const [prefixText, originText] = args.positional as [string, string];
  const { prefix, hostBits } = readPrefix(prefixText);
  const origin = parseAsn(originText);
  const vrpExport = parseVrpExport(readExport(file), file);
  for (const w of vrpExport.warnings) console.error(`warning: ${file}: ${describeProblem(w)}`);
  if (hostBits) console.error(`warning: ${hostBits} has host bits set; validating ${formatPrefix(prefix)}`);
  const result = vrpIndex(vrpExport.vrps).validate(prefix, origin);
  const json = {
    route: { prefix: formatPrefix(prefix), origin: formatAsn(origin) },
    state: result.state,
    covering: result.covering.map((v) => ({ ...vrpJson(v), why: whyVrp(v, prefix, origin) })),
    matching: result.matching.map(vrpJson),
    vrps: vrpExport.vrps.length,
  };
  print(args, json, () => {
    const lines = [result.state, `route ${formatPrefix(prefix)} origin ${formatAsn(origin)}, checked against ${vrpExport.vrps.length} VRPs from ${file}`];
    if (result.covering.length === 0) lines.push("covering: none (no VRP's prefix contains this route)");
    else {
      lines.push(`covering: ${result.covering.length}`);
      lines.push(indent(formatVrpTable(result.covering, { header: "Against this route", cell: (v) => whyVrp(v, prefix, origin) })));
    }
    lines.push(result.matching.length === 0 ? "matching: none" : `matching: ${result.matching.length}\n${indent(formatVrpTable(result.matching))}`);
    return lines.join("\n");
  });
}
