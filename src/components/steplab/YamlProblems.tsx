import type { YamlProblem } from "../../machines/manifest-lab.machine";

interface Props {
  id: string;
  yaml: string;
  problems: readonly YamlProblem[];
  /** Puts the caret on a line of the editor. */
  onGoToLine: (line: number, column: number) => void;
}

/**
 * Each problem shown at its line, the way a compiler does: the line before, the line itself with a
 * caret under the column, and the message — plus a button that puts the editor's caret there.
 */
export function YamlProblems({ id, yaml, problems, onGoToLine }: Props) {
  const lines = yaml.split("\n");
  // The generator files a problem about the manifest as a whole ("a Node is needed") at line 1,
  // column 1 with no field path; pointing at line 1 would send the learner to the wrong place.
  const wholeFile = (p: YamlProblem) => p.line === 1 && p.column === 1 && p.path === "" && !/syntax|yaml/i.test(p.message);
  const ordered = [...problems.filter((p) => !wholeFile(p)), ...problems.filter(wholeFile).map((p) => ({ ...p, line: 0, column: 0 }))];
  return (
    <div className="yaml-problems" id={id}>
      <p className="error">{problems.length === 1 ? "The manifest has a problem:" : `The manifest has ${problems.length} problems:`}</p>
      <ul>
        {ordered.map((p, i) => (
          <li key={i}>
            {p.line > 0 ? (
              <>
                <button type="button" className="link-button" onClick={() => onGoToLine(p.line, p.column)}>
                  Line {p.line}, column {p.column}
                </button>
                {": "}
              </>
            ) : (
              <>The manifest as a whole: </>
            )}
            {p.path && <code>{p.path}</code>} <span className="problem-message">{p.message}</span>
            {p.line > 0 && p.line <= lines.length && (
              <pre className="yaml-excerpt" aria-hidden="true">
                {p.line > 1 && `${String(p.line - 1).padStart(4)} | ${lines[p.line - 2]}\n`}
                <mark>{`${String(p.line).padStart(4)} | ${lines[p.line - 1]}`}</mark>
                {`\n       ${" ".repeat(Math.max(0, p.column - 1))}^`}
              </pre>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
