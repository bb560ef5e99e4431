import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { summarize, type MetricSummary, type MetricView } from '../core/metrics-view.js';

export interface MetricsRequest {
  id: string;
  sinceMs: number;
  period: number;
  metrics: MetricView[];
}

export interface MetricSeries extends MetricSummary {
  unit: string;
  timestamps: string[];
  /** CloudWatch's values (its unit), oldest first. */
  raw: number[];
}

/** GetMetricData for the instance's AWS/RDS metrics over the window, every page, oldest first. */
export async function fetchMetrics(cw: CloudWatchClient, req: MetricsRequest, now = new Date()): Promise<MetricSeries[]> {
  const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const queries: MetricDataQuery[] = req.metrics.map((m, i) => ({
    Id: `m${i}`, Label: m.name,
    MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: m.name, Dimensions: [{ Name: 'DBInstanceIdentifier', Value: req.id }] }, Period: req.period, Stat: m.stat },
  }));
  const points = new Map<string, { t: Date; v: number }[]>();
  let token: string | undefined;
  do {
    const out = await cw.send(new GetMetricDataCommand({
      MetricDataQueries: queries, StartTime: new Date(now.getTime() - req.sinceMs), EndTime: now, ScanBy: 'TimestampAscending', NextToken: token,
    }));
    for (const r of out.MetricDataResults ?? []) {
      const list = points.get(r.Id!) ?? [];
      (r.Timestamps ?? []).forEach((t, k) => list.push({ t, v: r.Values![k] }));
      points.set(r.Id!, list);
    }
    token = out.NextToken;
  } while (token);
  return req.metrics.map((m, i) => {
    const list = (points.get(`m${i}`) ?? []).sort((a, b) => a.t.getTime() - b.t.getTime());
    const raw = list.map((p) => p.v);
    return { ...summarize(m, raw), unit: m.unit, timestamps: list.map((p) => p.t.toISOString()), raw };
  });
}
