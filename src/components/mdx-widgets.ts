import type { z } from "zod";
import { LABS_WITH_IDS, WIDGETS } from "./registry";

/**
 * Checks every registered widget tag in an MDX source against its props schema, and that lab ids are
 * unique on the page. It reads tags from the source text (the MDX processor Astro uses does not run
 * remark plugins), so it is run from a Vite transform on `.mdx` files: a bad prop fails `astro build`
 * and `astro dev` with the file, line, column and what was expected.
 *
 * Attribute values are read as the author wrote them: `"text"`, `'text'`, `{…}` literals (JSON, or a
 * JavaScript literal such as `{['a', 'b']}`), and a bare name as `true`. Directives such as
 * `client:visible` belong to Astro and are not props.
 */
export class WidgetPropsError extends Error {
  constructor(file: string, line: number, column: number, widget: string, message: string) {
    super(`${file}:${line}:${column}: <${widget}> ${message}`);
    this.name = "WidgetPropsError";
  }
}

interface Tag {
  readonly name: string;
  readonly offset: number;
  readonly props: Record<string, unknown>;
}

function literal(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch {
    // Not JSON ({['a', 'b']}, {1_000}): a literal evaluated at build time, never shipped.
    return new Function(`"use strict"; return (${source});`)();
  }
}

/** Reads the attributes of the tag starting at `start` (just after its name); returns them and where the tag ends. */
function readAttributes(source: string, start: number, name: string): { props: Record<string, unknown>; end: number } {
  const props: Record<string, unknown> = {};
  let i = start;
  const fail = (why: string) => {
    throw Object.assign(new Error(why), { offset: i, widget: name });
  };
  for (;;) {
    while (/\s/.test(source[i] ?? "")) i++;
    if (source.startsWith("/>", i) || source[i] === ">") return { props, end: i };
    const m = /^[A-Za-z_][\w:.-]*/.exec(source.slice(i, i + 200));
    if (!m) fail(`cannot read the attribute at "${source.slice(i, i + 20)}"`);
    const attr = m![0];
    i += attr.length;
    let value: unknown = true;
    if (source[i] === "=") {
      i++;
      const quote = source[i];
      if (quote === '"' || quote === "'") {
        const close = source.indexOf(quote, i + 1);
        if (close < 0) fail(`${attr}: the string is not closed`);
        value = source.slice(i + 1, close);
        i = close + 1;
      } else if (quote === "{") {
        let depth = 0;
        let j = i;
        let inString: string | null = null;
        for (; j < source.length; j++) {
          const c = source[j]!;
          if (inString) {
            if (c === "\\") j++;
            else if (c === inString) inString = null;
          } else if (c === '"' || c === "'" || c === "`") inString = c;
          else if (c === "{") depth++;
          else if (c === "}" && --depth === 0) break;
        }
        if (depth !== 0) fail(`${attr}: the {…} value is not closed`);
        const expression = source.slice(i + 1, j);
        try {
          value = literal(expression);
        } catch {
          fail(`${attr}: {${expression}} is not a literal value the build can check`);
        }
        i = j + 1;
      } else fail(`${attr}: expected "text" or {value} after =`);
    }
    if (!attr.includes(":")) props[attr] = value;
  }
}

function tagsIn(source: string): Tag[] {
  const tags: Tag[] = [];
  const names = Object.keys(WIDGETS).join("|");
  for (const m of source.matchAll(new RegExp(`<(${names})(?=[\\s/>])`, "g"))) {
    const name = m[1]!;
    const { props } = readAttributes(source, m.index + name.length + 1, name);
    tags.push({ name, offset: m.index, props });
  }
  return tags;
}

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "props"}: ${i.message}`).join("; ");
}

/** @throws WidgetPropsError for the first tag whose props break its schema */
export function checkWidgetSource(source: string, file: string): void {
  let tags: Tag[];
  try {
    tags = tagsIn(source);
  } catch (error) {
    const { offset, widget } = error as { offset: number; widget: string };
    const { line, column } = position(source, offset);
    throw new WidgetPropsError(file, line, column, widget, (error as Error).message);
  }
  const labIds = new Map<string, number>();
  for (const tag of tags) {
    const { line, column } = position(source, tag.offset);
    const result = WIDGETS[tag.name]!.safeParse(tag.props);
    if (!result.success) throw new WidgetPropsError(file, line, column, tag.name, describeIssues(result.error));
    if (LABS_WITH_IDS.has(tag.name)) {
      const id = String(tag.props.labId);
      const first = labIds.get(id);
      if (first !== undefined) throw new WidgetPropsError(file, line, column, tag.name, `labId "${id}" is already used on line ${first}; each lab on a page needs its own`);
      labIds.set(id, line);
    }
  }
}

/** The Vite plugin that runs the check on every `.mdx` module. */
export function mdxWidgetCheck() {
  return {
    name: "packet-lab:mdx-widget-props",
    enforce: "pre" as const,
    transform(code: string, id: string) {
      if (id.endsWith(".mdx")) checkWidgetSource(code, id.replace(/^.*?\/content\//, "content/"));
      return null;
    },
  };
}
