import type { EngineSpec } from '../engine/types.js';
import { withAdmin } from '../engine/admin.js';
import type { InstanceRecord } from '../state/registry.js';
import type { OpsContext } from './context.js';
import { evaluate, type ParamDef } from './pg-catalog.js';
import { DEFAULT_GROUP, parameterGroupStore, type ParameterGroupRecord } from './pg-groups.js';

/**
 * How a parameter group reaches the mariadbd of its instances. Every user value is written to my.cnf
 * (so a reboot applies static ones, and a restart never loses dynamic ones); dynamic values sent with
 * ApplyMethod=immediate are also set on the running nodes by the control plane, as root over each node's
 * socket (the master user has no SUPER). ParameterApplyStatus says where an instance stands.
 */
export interface GroupChange {
  def: ParamDef;
  /** The new user value; undefined for a reset. */
  value?: string;
  method: 'immediate' | 'pending-reboot';
}

export type ApplyStatus = 'in-sync' | 'applying' | 'pending-reboot';

/** The group an instance uses (the default one when the record names none). */
export function groupOf(rec: Pick<InstanceRecord, 'parameterGroupName'>): string {
  return rec.parameterGroupName ?? DEFAULT_GROUP;
}

/** The group's user values, formulas evaluated for the instance's class: what my.cnf gets. */
export function groupSettings(home: string, rec: InstanceRecord): Record<string, string> {
  const name = groupOf(rec);
  if (name === DEFAULT_GROUP) return {};
  const group = parameterGroupStore(home).get(name);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(group?.values ?? {})) out[k] = evaluate(v, rec.instanceClass);
  return out;
}

/** The value a reset goes back to on the running server: what rdsctl's my.cnf sets, else the server default. */
function baseValue(name: string, spec: EngineSpec): string {
  const base: Record<string, string | number> = {
    innodb_buffer_pool_size: spec.innodbBufferPoolSize, max_connections: spec.maxConnections,
    sync_binlog: 1, binlog_format: 'ROW', innodb_flush_log_at_trx_commit: 1,
  };
  return base[name] !== undefined ? String(base[name]) : 'DEFAULT';
}

/** `SET GLOBAL` for one value: numbers inline (a quoted number is refused for numeric variables), strings bound. */
function setGlobal(def: ParamDef, value: string): { sql: string; args: string[] } {
  if (value === 'DEFAULT') return { sql: `SET GLOBAL ${def.name} = DEFAULT`, args: [] };
  if (['integer', 'float', 'boolean'].includes(def.dataType) && /^\d+(\.\d+)?$/.test(value)) return { sql: `SET GLOBAL ${def.name} = ${value}`, args: [] };
  return { sql: `SET GLOBAL ${def.name} = ?`, args: [value] };
}

async function applyNow(ctx: OpsContext, id: string, changes: GroupChange[]): Promise<void> {
  const rec = ctx.registry.get(id);
  if (!rec) return;
  const spec = ctx.spec(rec);
  const settings = groupSettings(ctx.home, rec);
  const failed: string[] = [];
  for (const node of rec.nodes.filter((n) => n.pid !== undefined)) {
    const paths = ctx.instancePaths(ctx.home, node.id);
    await withAdmin(paths, async (conn) => {
      for (const c of changes) {
        const { sql, args } = setGlobal(c.def, settings[c.def.name] ?? baseValue(c.def.name, spec));
        await conn.query(sql, args).catch((err: Error) => failed.push(`${c.def.name} on ${node.id}: ${err.message}`));
      }
    }).catch((err: Error) => failed.push(`${node.id}: ${err.message}`));
  }
  const names = changes.map((c) => c.def.name).join(', ');
  if (failed.length > 0) ctx.event(id, `Could not apply the parameters ${failed.join('; ')}`, ['configuration change']);
  else ctx.event(id, `Applied the parameters ${names} from the DB parameter group ${groupOf(rec)}`, ['configuration change']);
  ctx.registry.update(id, (r) => {
    if (r.parameterApplyStatus === 'applying') r.parameterApplyStatus = 'in-sync';
  });
}

/** After a group changed: instances using it go applying (dynamic, immediate) and/or pending-reboot. */
export function applyGroupChange(ctx: OpsContext, group: ParameterGroupRecord, changes: GroupChange[]): void {
  const now = changes.filter((c) => c.method === 'immediate' && c.def.applyType === 'dynamic');
  const later = changes.some((c) => c.method === 'pending-reboot');
  for (const rec of ctx.registry.list().filter((r) => groupOf(r) === group.id)) {
    const running = rec.nodes.some((n) => n.pid !== undefined);
    ctx.registry.update(rec.id, (r) => {
      if (later || (now.length > 0 && !running)) r.parameterApplyStatus = 'pending-reboot';
      else if (now.length > 0 && r.parameterApplyStatus !== 'pending-reboot') r.parameterApplyStatus = 'applying';
    });
    if (now.length > 0 && running) void ctx.jobs.run(rec.id, () => applyNow(ctx, rec.id, now));
  }
}

/** The DBParameterGroups member of <DBInstance>. */
export function renderParameterGroups(rec: InstanceRecord): { DBParameterGroupName: string; ParameterApplyStatus: ApplyStatus }[] {
  return [{ DBParameterGroupName: groupOf(rec), ParameterApplyStatus: rec.parameterApplyStatus ?? 'in-sync' }];
}
