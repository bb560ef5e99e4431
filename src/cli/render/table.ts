/** Plain aligned text table (no colour codes inside cells so widths stay right). */
export function renderTable(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined || c === null ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export const widest = (text: string) => Math.max(0, ...text.split('\n').map((l) => l.length));

/**
 * The table, without the `optional` columns (named by header, dropped last first) that do not fit in `width`.
 * Returns which ones were left out, so the caller can say where to find them.
 */
export function fitTable(headers: string[], rows: (string | number | undefined)[][], width: number, optional: string[]): { text: string; dropped: string[] } {
  // Fewest columns dropped first; among equals, the less important ones (later in `optional`) go first.
  const weight = (names: string[]) => names.reduce((w, n) => w + 2 ** (optional.length - 1 - optional.indexOf(n)), 0);
  const subsets = optional
    .reduce<string[][]>((acc, name) => [...acc, ...acc.map((s) => [...s, name])], [[]])
    .sort((a, b) => a.length - b.length || weight(a) - weight(b));
  let best = { text: renderTable(headers, rows), dropped: [] as string[] };
  for (const dropped of subsets) {
    const keep = headers.map((_, i) => i).filter((i) => !dropped.includes(headers[i]));
    const text = renderTable(keep.map((i) => headers[i]), rows.map((r) => keep.map((i) => r[i])));
    best = { text, dropped: optional.filter((n) => dropped.includes(n)) };
    if (widest(text) <= width) break;
  }
  return best;
}

/** Words of `text` in lines of at most `width` (a longer word keeps its own line). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  return [...lines, cur];
}

/** "key: value" lines, aligned; values longer than `width` allows continue under the value column. */
export function renderFields(fields: [string, string | number | boolean | undefined][], width = Infinity): string {
  const labels = Math.max(...fields.map(([k]) => k.length)) + 2;
  return fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => wrapWords(String(v), Math.max(20, width - labels)).map((l, i) => `${i ? '' : `${k}:`}`.padEnd(labels) + l).join('\n'))
    .join('\n');
}

/**
 * Prose to fit `width` columns: each line's words wrapped, continuation lines indented like the line plus
 * `indent` (a terminal would otherwise cut words in two at its edge). Lines that fit are left as they are.
 */
export function wrapText(text: string, width: number, indent = 2): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const lead = /^ */.exec(line)![0];
      const [first, ...rest] = wrapWords(line.slice(lead.length), Math.max(20, width - lead.length - indent));
      return [lead + first, ...rest.map((l) => lead + ' '.repeat(indent) + l)].join('\n');
    })
    .join('\n');
}
