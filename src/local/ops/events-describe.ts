import type { EventsMessage } from '@aws-sdk/client-rds';
import type { OpHandler } from '../server/types.js';
import type { OpsContext } from './context.js';
import { invalidValue } from './faults.js';
import { int, list, str } from './params.js';
import { checkMaxRecords } from './instances-describe.js';

/** DescribeEvents over the event log (instances today; snapshots, backups … share it by SourceType). */
export function describeEvents(ctx: Pick<OpsContext, 'events'>): OpHandler<EventsMessage> {
  return async (req) => {
    const sourceType = str(req.flat, 'SourceType');
    const source = str(req.flat, 'SourceIdentifier')?.toLowerCase();
    const end = dateParam(req.flat.EndTime) ?? new Date();
    const duration = int(req.flat, 'Duration');
    const start = dateParam(req.flat.StartTime) ?? new Date(end.getTime() - (duration ?? 60) * 60_000);
    const categories = list(req.flat, 'EventCategories.EventCategory');
    const maxRecords = checkMaxRecords(int(req.flat, 'MaxRecords'));
    const offset = Number(str(req.flat, 'Marker') ?? '0') || 0;
    const events = ctx.events.read().filter((e) => {
      const t = new Date(e.Date).getTime();
      return (!source || e.SourceIdentifier === source) && (!sourceType || e.SourceType === sourceType) && t >= start.getTime() && t <= end.getTime()
        && (categories.length === 0 || e.EventCategories.some((c) => categories.includes(c)));
    });
    const slice = events.slice(offset, offset + maxRecords);
    return {
      Events: slice.map((e) => ({ ...e, Date: new Date(e.Date) })),
      Marker: offset + maxRecords < events.length ? String(offset + maxRecords) : undefined,
    };
  };
}

function dateParam(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw invalidValue(`Invalid date: ${v}`);
  return d;
}
