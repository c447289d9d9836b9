import { useId, useState } from "react";
import type { Trace } from "../../sim/core/trace";
import { onDemand } from "../on-demand";

/** The pcap writer, in a chunk of its own: fetched the first time a learner asks for a capture. */
const loadPcap = onDemand(() => import("../../sim/pcap/index"));

export interface PcapDownloadProps {
  /** The trace to export: any scenario's core trace (the flagship's through `toCoreTrace`). */
  trace: Trace;
  /** First and last step to include (step ids); the whole trace when absent. */
  from?: string;
  to?: string;
  /** The button's text. */
  label?: string;
}

/** "cloudflare-gke.pcapng", or with a range "cloudflare-gke_request-gfe_request-node.pcapng". */
function fileName(trace: Trace, from?: string, to?: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-");
  const range = from !== undefined || to !== undefined ? `_${safe(from ?? trace.steps[0]?.id ?? "start")}_${safe(to ?? trace.steps.at(-1)?.id ?? "end")}` : "";
  return `${safe(trace.scenario)}${range}.pcapng`;
}

/**
 * A button that builds the trace's packets as a pcapng file in the browser and downloads it, to
 * open in Wireshark: every step's output packet with its addresses, ports, TTL, tunnels, and the
 * HTTP or TLS it carries. Nothing is sent anywhere; the file is made from the trace on the page.
 */
export function PcapDownload({ trace, from, to, label = "Download as pcapng" }: PcapDownloadProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problemId = useId();

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const { traceToPcapng } = await loadPcap();
      const bytes = traceToPcapng(trace, { from, to });
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/vnd.tcpdump.pcap" }));
      const link = Object.assign(window.document.createElement("a"), { href: url, download: fileName(trace, from, to) });
      window.document.body.append(link);
      link.click();
      link.remove();
      // The download has taken its copy once click() returns; the next task may let the URL go.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="pcap-download">
      <button type="button" className="link-button" onClick={download} disabled={busy} aria-describedby={problem ? problemId : undefined}>
        {label}
      </button>
      {problem && (
        <span role="alert" id={problemId} className="pcap-download-problem">
          {" "}
          Could not build the capture: {problem}
        </span>
      )}
    </span>
  );
}
