/** Plain aligned text table (no colour codes inside cells so widths stay right). */
export function renderTable(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined || c === null ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** "key: value" lines, aligned. */
export function renderFields(fields: [string, string | number | boolean | undefined][]): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${String(v)}`)
    .join('\n');
}
