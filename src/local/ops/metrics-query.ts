import type { GetMetricDataOutput, GetMetricStatisticsOutput, ListMetricsOutput, MetricDataResult, Datapoint, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { BASIC_STATS, bucketize, parseStat, statOf, validPeriod } from '../../core/metric-stats.js';
import type { Dimensions } from '../state/metric-store.js';
import type { OpHandler } from '../server/types.js';
import { AwsFault } from '../server/types.js';
import type { OpsContext } from './context.js';
import { invalidValue, missingParameter } from './faults.js';
import { arr, dimensionList, dimensionsOf, inputOf, obj, optInt, optStr, reqStr, reqTime, strs, type Input } from './metrics-input.js';

const combination = (m: string) => new AwsFault('InvalidParameterCombination', m, 400);
const MAX_QUERIES = 500;
const MAX_POINTS = 100_800;

function checkPeriod(period: number | undefined, where: string): number {
  if (period === undefined) throw missingParameter(`${where}Period`);
  if (!validPeriod(period)) throw invalidValue(`The parameter ${where}Period must be 1, 5, 10, 30 or a multiple of 60.`);
  return period;
}

/** Datapoints of one series in [start, end) as (period start, statistic) pairs, oldest first. */
function computed(ctx: OpsContext, ns: string, name: string, dims: Dimensions, start: number, end: number, period: number, stat: string, unit?: string) {
  const s = ctx.metrics.get(ns, name, dims);
  if (!s || (unit && unit !== s.unit)) return [];
  return bucketize(s.points, start, end, period).map((b) => ({ t: b.start, v: statOf(stat, b.values), values: b.values, unit: s.unit }));
}

interface Query {
  id: string;
  label: string;
  returnData: boolean;
  ns: string;
  name: string;
  dims: Dimensions;
  period: number;
  stat: string;
  unit?: string;
}

function parseQuery(q: Input, i: number): Query {
  const id = reqStr(q, 'Id');
  if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) throw invalidValue(`The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is invalid: it must start with a lowercase letter and contain only letters, digits and underscores.`);
  if (optStr(q, 'Expression')) throw invalidValue(`MetricDataQueries.member.${i + 1}: metric math expressions are not supported by the local endpoint; use MetricStat.`);
  const ms = obj(q, 'MetricStat');
  const metric = ms && obj(ms, 'Metric');
  if (!ms || !metric) throw combination(`MetricDataQueries.member.${i + 1} must contain exactly one of MetricStat or Expression.`);
  const stat = reqStr(ms, 'Stat');
  if (!parseStat(stat)) throw invalidValue(`The value ${stat} for parameter MetricDataQueries.member.${i + 1}.MetricStat.Stat is not a valid statistic.`);
  const name = reqStr(metric, 'MetricName');
  return {
    id, label: optStr(q, 'Label') ?? name, returnData: q.ReturnData !== false && q.ReturnData !== 'false',
    ns: reqStr(metric, 'Namespace'), name, dims: dimensionsOf(metric), stat,
    period: checkPeriod(optInt(ms, 'Period'), `MetricDataQueries.member.${i + 1}.MetricStat.`), unit: optStr(ms, 'Unit'),
  };
}

/** NextToken: how many datapoints of the whole answer (queries in order) were sent already. */
const tokenOf = (n: number) => Buffer.from(JSON.stringify({ sent: n })).toString('base64');
function sentOf(token: string | undefined): number {
  if (!token) return 0;
  try {
    const n = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { sent: number }).sent;
    if (Number.isInteger(n) && n >= 0) return n;
  } catch { /* fall through */ }
  throw new AwsFault('InvalidNextToken', 'The service returned an error: the NextToken is invalid.', 400);
}

export function getMetricData(ctx: OpsContext): OpHandler<GetMetricDataOutput> {
  return async (req) => {
    const input = inputOf(req);
    const raw = arr(input, 'MetricDataQueries');
    if (raw.length === 0) throw missingParameter('MetricDataQueries');
    if (raw.length > MAX_QUERIES) throw invalidValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
    const queries = raw.map(parseQuery);
    const start = reqTime(input, 'StartTime');
    const end = reqTime(input, 'EndTime');
    if (end <= start) throw invalidValue('The parameter EndTime must be greater than StartTime.');
    const scanBy = optStr(input, 'ScanBy') ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw invalidValue(`The value ${scanBy} for parameter ScanBy is invalid (TimestampDescending or TimestampAscending).`);
    const max = Math.min(optInt(input, 'MaxDatapoints') ?? MAX_POINTS, MAX_POINTS);
    let skip = sentOf(optStr(input, 'NextToken'));
    let budget = max;
    let sent = skip;
    let more = false;
    const results: MetricDataResult[] = [];
    for (const q of queries.filter((x) => x.returnData)) {
      let pts = computed(ctx, q.ns, q.name, q.dims, start, end, q.period, q.stat, q.unit);
      if (scanBy === 'TimestampDescending') pts = pts.reverse();
      const drop = Math.min(skip, pts.length);
      skip -= drop;
      pts = pts.slice(drop);
      const take = pts.slice(0, budget);
      budget -= take.length;
      sent += take.length;
      const partial = take.length < pts.length;
      more ||= partial;
      results.push({ Id: q.id, Label: q.label, Timestamps: take.map((p) => new Date(p.t)), Values: take.map((p) => p.v), StatusCode: partial ? 'PartialData' : 'Complete' });
    }
    return { MetricDataResults: results, Messages: [], ...(more ? { NextToken: tokenOf(sent) } : {}) };
  };
}

const STAT_KEYS = new Set<string>(BASIC_STATS);

export function getMetricStatistics(ctx: OpsContext): OpHandler<GetMetricStatisticsOutput> {
  return async (req) => {
    const input = inputOf(req);
    const ns = reqStr(input, 'Namespace');
    const name = reqStr(input, 'MetricName');
    const start = reqTime(input, 'StartTime');
    const end = reqTime(input, 'EndTime');
    const period = checkPeriod(optInt(input, 'Period'), '');
    const stats = strs(input, 'Statistics');
    const ext = strs(input, 'ExtendedStatistics');
    if (stats.length === 0 && ext.length === 0) throw combination('Must specify either Statistics or ExtendedStatistics.');
    for (const s of stats) if (!STAT_KEYS.has(s)) throw invalidValue(`The value ${s} for parameter Statistics is not a valid statistic.`);
    for (const s of ext) if (parseStat(s)?.kind !== 'percentile') throw invalidValue(`The value ${s} for parameter ExtendedStatistics is not a valid percentile.`);
    const requested = Math.ceil((end - start) / 1000 / period);
    if (requested > 1440) throw combination(`You have requested up to ${requested} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
    const s = ctx.metrics.get(ns, name, dimensionsOf(input));
    const unit = optStr(input, 'Unit');
    const buckets = !s || (unit && unit !== s.unit) ? [] : bucketize(s.points, start, end, period);
    const Datapoints: Datapoint[] = buckets.map((b) => ({
      Timestamp: new Date(b.start),
      ...Object.fromEntries(stats.map((st) => [st, statOf(st, b.values)])),
      ...(ext.length ? { ExtendedStatistics: Object.fromEntries(ext.map((p) => [p, statOf(p, b.values)])) } : {}),
      Unit: s!.unit as StandardUnit,
    }));
    return { Label: name, Datapoints };
  };
}

const PAGE = 500;

export function listMetrics(ctx: OpsContext): OpHandler<ListMetricsOutput> {
  return async (req) => {
    const input = inputOf(req);
    const ns = optStr(input, 'Namespace');
    const name = optStr(input, 'MetricName');
    const filters = arr(input, 'Dimensions').map((d) => ({ name: reqStr(d, 'Name'), value: optStr(d, 'Value') }));
    const recent = optStr(input, 'RecentlyActive');
    if (recent !== undefined && recent !== 'PT3H') throw invalidValue(`The value ${recent} for parameter RecentlyActive is invalid (PT3H).`);
    const since = recent ? Date.now() - 3 * 3600_000 : -Infinity;
    const found = ctx.metrics.all().filter((s) => s.points.length > 0
      && (!ns || s.namespace === ns) && (!name || s.name === name)
      && filters.every((f) => f.name in s.dims && (f.value === undefined || s.dims[f.name] === f.value))
      && s.points[s.points.length - 1].t >= since)
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    const from = sentOf(optStr(input, 'NextToken'));
    const page = found.slice(from, from + PAGE);
    return {
      Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.name, Dimensions: dimensionList(s.dims) })),
      ...(from + PAGE < found.length ? { NextToken: tokenOf(from + PAGE) } : {}),
    };
  };
}
