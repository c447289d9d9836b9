import type { AnyTemplate } from "../../engine/types";
import { firstFailure } from "./first-failure";
import { namesCovered } from "./names-covered";
import { pathLength } from "./path-length";
import { validInstants } from "./valid-instants";

/** The certs questions, one line per template. */
export const CERTS_TEMPLATES: readonly AnyTemplate[] = [
  firstFailure,
  namesCovered,
  validInstants,
  pathLength,
];
