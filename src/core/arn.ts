/**
 * Amazon Resource Names: `arn:<partition>:<service>:<region>:<account>:<resource>`. The one place ARNs
 * are written and read, so the local endpoint's region/account and RDS's resource types (db, snapshot,
 * secret …) are spelled once. Pure.
 */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account, e.g. `db:shop` or `key/123`. */
  resource: string;
}

export function formatArn(a: Omit<Arn, 'partition'> & { partition?: string }): string {
  return `arn:${a.partition ?? 'aws'}:${a.service}:${a.region}:${a.account}:${a.resource}`;
}

export function parseArn(text: string): Arn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(text);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

/** RDS resource types as they appear in ARNs (arn:aws:rds:…:db:<id>, …:snapshot:<id>, …). */
export type RdsResourceType = 'db' | 'snapshot' | 'auto-backup' | 'pg' | 'cluster' | 'subgrp' | 'og';

export function rdsArn(region: string, account: string, type: RdsResourceType, name: string): string {
  return formatArn({ service: 'rds', region, account, resource: `${type}:${name}` });
}

/** The name in an RDS ARN of that type (any region and account), or undefined when `text` is not one. */
export function rdsArnName(text: string, type: RdsResourceType): { region: string; account: string; name: string } | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'rds' || !arn.resource.startsWith(`${type}:`)) return undefined;
  return { region: arn.region, account: arn.account, name: arn.resource.slice(type.length + 1) };
}
