import { useEffect, useState } from "react";

/**
 * The message a lab shows when its link carries keys it does not read (`<labId>.step` on a lab without steps, a
 * misspelt key): which ones, and that they were ignored, so a learner who followed a damaged link knows the lab
 * opened on something else. Read after mount, so the server's HTML and the first render agree.
 *
 * @example useIgnoredLinkKeys("policy", ["preset", "in"]) // "This lab has no step setting; the link's value for it was ignored."
 */
export function useIgnoredLinkKeys(labId: string, known: readonly string[]): string | null {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const prefix = `${labId}.`;
    const ignored = [...new Set([...query.keys()].filter((k) => k.startsWith(prefix) && !known.includes(k.slice(prefix.length)) && query.get(k)!.trim() !== ""))]
      .map((k) => k.slice(prefix.length))
      .slice(0, 5);
    if (ignored.length > 0) setMessage(`This lab has no ${ignored.map((k) => `“${k.length > 40 ? `${k.slice(0, 40)}…` : k}”`).join(", ")} setting; the link's value for it was ignored.`);
    // `known` is a constant list per lab; reading the link once, on mount, is the point.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labId]);
  return message;
}
