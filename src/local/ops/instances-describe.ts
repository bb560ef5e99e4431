import type { DBInstanceMessage } from '@aws-sdk/client-rds';
import type { OpHandler } from '../server/types.js';
import type { InstanceRecord } from '../state/registry.js';
import { rdsArnName } from '../../core/arn.js';
import { instanceArn } from './arns.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidValue } from './faults.js';
import { filters, int, str, type Filter } from './params.js';
import { renderInstance } from './instances-render.js';
import { replicaFields } from './replicas-status.js';
import { restorableFields } from './backups-window.js';

const FILTERS: Record<string, (rec: InstanceRecord, value: string) => boolean> = {
  'db-instance-id': (r, v) => r.id === v.toLowerCase() || instanceArn(r.id) === v,
  'dbi-resource-id': (r, v) => r.dbiResourceId === v,
  engine: (r, v) => r.engine === v,
  // No DB clusters or directory domains exist here: these filters match no instance, as on an account without them.
  'db-cluster-id': () => false,
  domain: () => false,
};

export function matchesFilters(rec: InstanceRecord, fs: Filter[]): boolean {
  return fs.every((f) => f.Values.some((v) => FILTERS[f.Name](rec, v)));
}

/** One page of records; the marker is the identifier of the first record of the next page. */
export function page<T extends { id: string }>(items: T[], maxRecords: number, marker?: string): { items: T[]; marker?: string } {
  const start = marker === undefined ? 0 : items.findIndex((r) => r.id >= marker);
  if (start < 0) return { items: [] };
  const slice = items.slice(start, start + maxRecords);
  const next = items[start + maxRecords];
  return { items: slice, marker: next?.id };
}

export function checkMaxRecords(n: number | undefined): number {
  if (n === undefined) return 100;
  if (n < 20 || n > 100) throw invalidValue(`Invalid value ${n} for MaxRecords. Must be between 20 and 100`);
  return n;
}

export function describeDBInstances(ctx: OpsContext): OpHandler<DBInstanceMessage> {
  return async (req) => {
    const fs = filters(req.flat);
    for (const f of fs) {
      if (!FILTERS[f.Name]) throw invalidValue(`Unrecognized filter name: ${f.Name}. Supported: ${Object.keys(FILTERS).join(', ')}.`);
      if (f.Values.length === 0) throw invalidValue(`Filter ${f.Name} needs at least one value.`);
    }
    const maxRecords = checkMaxRecords(int(req.flat, 'MaxRecords'));
    const idParam = str(req.flat, 'DBInstanceIdentifier');
    const all = ctx.registry.list();
    let records = all;
    if (idParam !== undefined) {
      const lowered = idParam.toLowerCase();
      const id = rdsArnName(lowered, 'db')?.name ?? lowered;
      records = records.filter((r) => r.id === id);
      if (records.length === 0) throw instanceNotFound(idParam);
    }
    records = records.filter((r) => matchesFilters(r, fs));
    const result = page(records, maxRecords, str(req.flat, 'Marker'));
    return {
      DBInstances: result.items.map((r) => ({ ...renderInstance(r, ctx.caValidTill), ...replicaFields(ctx, r, all), ...restorableFields(ctx, r) })),
      Marker: result.marker,
    };
  };
}
