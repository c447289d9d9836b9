import type { Exhibit } from "../../quiz/engine/types";

/**
 * What a question shows besides its prompt: the settings that shape this variant as chips, command
 * output as the tool prints it, a packet's header as a table, or a paragraph.
 */
export function Exhibits({ exhibits, idBase }: { exhibits: readonly Exhibit[]; idBase: string }) {
  return (
    <>
      {exhibits.map((exhibit, i) => {
        const id = `${idBase}-exhibit-${i}`;
        switch (exhibit.kind) {
          case "settings":
            return (
              <ul key={i} className="chips" aria-label="Settings of this variant">
                {exhibit.chips.map((c) => (
                  <li key={c.key} className="chip">
                    <span className="chip-label">{c.label}</span> <span className="chip-value">{c.value}</span>
                  </li>
                ))}
              </ul>
            );
          case "output":
            return (
              <figure key={i} className="exhibit-output" aria-labelledby={id}>
                <figcaption id={id}>
                  <span aria-hidden="true">$ </span>
                  <code>{exhibit.command}</code>
                </figcaption>
                {/* Focusable so a keyboard can scroll a wide listing (WCAG 2.1.1). */}
                <pre tabIndex={0} aria-labelledby={id}>
                  {exhibit.text}
                </pre>
              </figure>
            );
          case "packet":
            return (
              <div key={i} className="table-scroll exhibit-packet">
                <table>
                  <caption>{exhibit.title}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {exhibit.rows.map(([field, value], r) => (
                      <tr key={r}>
                        <th scope="row">{field}</th>
                        <td>
                          <code>{value}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          case "text":
            return (
              <p key={i} className="exhibit-text">
                {exhibit.text}
              </p>
            );
        }
      })}
    </>
  );
}
