/**
 * Conntrack states as the `conntrack`/`state` matches test them (xt_conntrack.h): a bit set, because
 * a packet can be NEW and DNAT at once — the first packet of a connection kube-proxy translated.
 */
export type ConntrackState = number;

export const CT_INVALID = 1;
export const CT_NEW = 2;
export const CT_ESTABLISHED = 4;
export const CT_RELATED = 8;
export const CT_UNTRACKED = 16;
export const CT_SNAT = 32;
export const CT_DNAT = 64;

export const CT_STATE_BITS: Readonly<Record<string, number>> = {
  INVALID: CT_INVALID,
  NEW: CT_NEW,
  ESTABLISHED: CT_ESTABLISHED,
  RELATED: CT_RELATED,
  UNTRACKED: CT_UNTRACKED,
  SNAT: CT_SNAT,
  DNAT: CT_DNAT,
};

/** "NEW,DNAT" — the states set in a mask, in xt_conntrack's print order. */
export function formatCtState(state: ConntrackState): string {
  return Object.entries(CT_STATE_BITS)
    .filter(([, bit]) => (state & bit) !== 0)
    .map(([name]) => name)
    .join(",");
}

export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, all: 0 };
