/**
 * RDS purges binlogs as soon as it can unless `binlog retention hours` is set, so nothing older than a
 * few minutes is readable and a preview would look complete while it is not. Pure, on the rows of
 * `CALL mysql.rds_show_configuration` (name, value, description; a CALL also returns an OK packet):
 * why the binlogs cannot be used, or undefined when they can.
 */
export function retentionProblem(rows: unknown[], id: string): string | undefined {
  const flat = rows.flatMap((r) => (Array.isArray(r) ? r : [r])) as Array<Record<string, unknown>>;
  const row = flat.find((r) => String(r?.name ?? r?.NAME ?? '').toLowerCase() === 'binlog retention hours');
  const value = row ? (row.value ?? row.VALUE) : undefined;
  if (value !== undefined && value !== null && String(value).toUpperCase() !== 'NULL' && Number(value) > 0) return undefined;
  return `${id} keeps no binlogs (binlog retention hours is not set): run CALL mysql.rds_set_configuration('binlog retention hours', 24) on it, then retry.`;
}
