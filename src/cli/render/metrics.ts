import { humanNumber, sparkline, type MetricSummary } from '../../core/metrics-view.js';

const withUnit = (v: number | undefined, unit: string) => (v === undefined ? '–' : `${humanNumber(v)}${unit ? (unit.startsWith('/') || unit === '%' ? unit : ` ${unit}`) : ''}`);

/** One line per metric: name, latest / average / max in a person's units, and a sparkline that fills the rest of the width. */
export function renderMetrics(id: string, windowText: string, period: number, series: MetricSummary[], width: number): string {
  const nameW = Math.max(...series.map((s) => s.name.length));
  const cols = series.map((s) => [withUnit(s.latest, s.show), withUnit(s.average, s.show), withUnit(s.max, s.show)]);
  const w = [0, 1, 2].map((i) => Math.max(['latest', 'average', 'max'][i].length, ...cols.map((c) => c[i].length)));
  const used = nameW + w[0] + w[1] + w[2] + 8;
  const chart = Math.max(8, Math.min(60, width - used));
  // The chart's reach as drawn: as many periods as there are datapoints, up to the chart's width.
  const shown = Math.min(chart, Math.max(0, ...series.map((s) => s.values.length)));
  const reach = shown === 0 ? 'chart' : `last ${shown} × ${period}s`;
  const head = `${'metric'.padEnd(nameW)}  ${'latest'.padStart(w[0])}  ${'average'.padStart(w[1])}  ${'max'.padStart(w[2])}  ${reach}`;
  const lines = series.map((s, k) => {
    const c = cols[k];
    const line = `${s.name.padEnd(nameW)}  ${c[0].padStart(w[0])}  ${c[1].padStart(w[1])}  ${c[2].padStart(w[2])}  `;
    return line + (s.values.length ? sparkline(s.values, chart) : 'no data');
  });
  const empty = series.every((s) => s.values.length === 0)
    ? ['', `No datapoints for ${id} in the last ${windowText}: the local endpoint samples each running instance once a minute (or at its MonitoringInterval).`]
    : [];
  return [`${id}: AWS/RDS metrics, last ${windowText}, ${period}s periods`, '', head, ...lines, ...empty].join('\n');
}
