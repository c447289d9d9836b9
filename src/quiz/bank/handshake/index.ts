import type { AnyTemplate } from "../../engine/types";
import { observerReadsTemplate } from "./observer-reads";
import { sniPick } from "./sni-pick";
import { whereItFails } from "./where-it-fails";
import { whoDecrypts } from "./who-decrypts";

/** The handshake questions, one line per template. */
export const HANDSHAKE_TEMPLATES: readonly AnyTemplate[] = [
  observerReadsTemplate,
  whereItFails,
  sniPick,
  whoDecrypts,
];
