/**
 * kube-proxy writes each sync's rules into byte buffers it keeps from one sync to the next
 * (pkg/proxy/util/linebuffer.go, and proxier.go's `iptablesData`): a large cluster's 17 MB of rules
 * would otherwise be allocated anew every sync. This is the same idea for the simulator: lines are
 * encoded into a byte buffer that lives as long as the module, so a sync of 10,000 Services neither
 * keeps 170,000 rule strings alive nor touches 17 MB of fresh memory more than once (for the text it
 * returns). Lines already written can be appended again as bytes, which is how iptables-save's
 * order is assembled from rules written in kube-proxy's order.
 *
 * Lines must be ASCII, so that a string's length is its length in bytes; `ascii` turns false
 * otherwise and the caller must not use the result.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The buffer kept between syncs. */
let kept = new Uint8Array(1 << 16);

/** Lines are joined a few hundred at a time before encoding: one string per batch, not per line. */
const BATCH_LINES = 512;

/**
 * An append-only text of lines ("\n"-terminated) in the kept byte buffer. One is in use at a time:
 * a second one would write over the first.
 */
export class LineBuffer {
  private bytes = kept;
  /** Bytes encoded so far. */
  private end = 0;
  private readonly pending: string[] = [];
  private pendingLength = 0;
  /** Whether every line so far was ASCII. */
  ascii = true;

  /** Where the next line will start, in bytes. */
  get position(): number {
    return this.end + this.pendingLength;
  }

  /** Appends one line (without its "\n"). */
  line(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length + 1;
    if (this.pending.length >= BATCH_LINES) this.flush();
  }

  /** Appends again the lines already written at bytes [start, end). */
  repeat(start: number, end: number): void {
    this.flush();
    this.reserve(end - start);
    this.bytes.copyWithin(this.end, start, end);
    this.end += end - start;
  }

  /** The text written from byte `start` on, as one string. */
  text(start = 0): string {
    return this.slice(start, this.position);
  }

  /** The text written at bytes [start, end). */
  slice(start: number, end: number): string {
    this.flush();
    return decoder.decode(this.bytes.subarray(start, end));
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.pending.push("");
    const batch = this.pending.join("\n");
    this.pending.length = 0;
    this.pendingLength = 0;
    this.reserve(batch.length);
    const { read, written } = encoder.encodeInto(batch, this.bytes.subarray(this.end));
    if (read !== batch.length || written !== batch.length) this.ascii = false;
    this.end += written;
  }

  private reserve(bytes: number): void {
    if (this.end + bytes <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.end + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.end));
    this.bytes = kept = grown;
  }
}
