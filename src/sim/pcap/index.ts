/**
 * pcap export: any core trace as a pcapng file Wireshark decodes as the trace says. Pure (no DOM, no
 * Node APIs), so the command line writes it to a file and a lab builds it in the browser for a download.
 */
export { capturePackets, traceToPcapng, CAPTURE_EPOCH_US, type Capture, type CaptureOptions, type CapturedPacket } from "./capture";
export { writePcapng, LINKTYPE_RAW, type PcapngMeta, type PcapngPacket } from "./pcapng";
