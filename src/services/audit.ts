import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import { evaluateControls, type AuditFacts, type ControlResult, type SnapshotFacts } from '../core/security/controls.js';
import type { SecurityInspection } from '../core/security/facts.js';
import { AUDIT_OPTION } from '../core/audit-events.js';
import { planFixes, type FixPlan } from '../core/security/fix-plan.js';
import { describeInstance, modifyInstance, type WaitSettings } from './instances.js';
import { downloadPortion } from './logs.js';
import type { Progress } from './progress.js';

/** The I/O `rdsctl audit` needs: the RDS API, and on the local target the control plane's look at the real thing. */
export interface AuditDeps {
  rds: RDSClient;
  target: 'local' | 'aws';
  inspect?: (id: string) => Promise<SecurityInspection>;
  onProgress?: Progress;
}

export interface AuditReport {
  id: string;
  target: 'local' | 'aws';
  ok: boolean;
  counts: Record<ControlResult['status'], number>;
  controls: ControlResult[];
  fixPlan: FixPlan;
}

async function snapshotsOf(rds: RDSClient, id: string): Promise<SnapshotFacts[]> {
  const { DescribeDBSnapshotsCommand, DescribeDBSnapshotAttributesCommand } = await import('@aws-sdk/client-rds');
  const out: SnapshotFacts[] = [];
  let Marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: id, Marker }));
    for (const s of page.DBSnapshots ?? []) {
      const facts: SnapshotFacts = { id: s.DBSnapshotIdentifier ?? '?', type: s.SnapshotType ?? 'manual', encrypted: Boolean(s.Encrypted) };
      if (facts.type === 'manual') {
        const a = await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: facts.id }));
        facts.restore = a.DBSnapshotAttributesResult?.DBSnapshotAttributes?.find((x) => x.AttributeName === 'restore')?.AttributeValues ?? [];
      }
      out.push(facts);
    }
    Marker = page.Marker;
  } while (Marker);
  return out;
}

async function optionsOf(rds: RDSClient, db: DBInstance): Promise<string[]> {
  const { DescribeOptionGroupsCommand } = await import('@aws-sdk/client-rds');
  const names: string[] = [];
  for (const m of db.OptionGroupMemberships ?? []) {
    if (!m.OptionGroupName) continue;
    const res = await rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: m.OptionGroupName }));
    for (const g of res.OptionGroupsList ?? []) for (const o of g.Options ?? []) if (o.OptionName) names.push(o.OptionName);
  }
  return names;
}

/** require_secure_transport as the instance's parameter group sets it; a default.* group sets nothing (engine default OFF). */
async function requireSecureTransport(rds: RDSClient, db: DBInstance): Promise<string | undefined> {
  const group = db.DBParameterGroups?.[0]?.DBParameterGroupName;
  if (!group || group.startsWith('default.')) return undefined;
  const { DescribeDBParametersCommand } = await import('@aws-sdk/client-rds');
  let Marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: group, Source: 'user', Marker }));
    const p = page.Parameters?.find((x) => x.ParameterName === 'require_secure_transport');
    if (p) return p.ParameterValue;
    Marker = page.Marker;
  } while (Marker);
  return undefined;
}

/** The newest lines of the audit log: a bounded read, whatever the file's size (the window is said in the evidence). */
const AUDIT_TAIL_LINES = 10_000;
async function auditLogTail(rds: RDSClient, id: string): Promise<NonNullable<AuditFacts['auditLog']>> {
  try {
    const part = await downloadPortion(rds, id, 'audit', { lines: AUDIT_TAIL_LINES });
    return { text: part.text, window: `newest ${AUDIT_TAIL_LINES} lines` };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export async function auditInstance(deps: AuditDeps, id: string): Promise<AuditReport> {
  deps.onProgress?.(`describing ${id}`);
  const db = await describeInstance(deps.rds, id);
  const realId = db.DBInstanceIdentifier ?? id;
  deps.onProgress?.('reading snapshots and option groups');
  const [snapshots, options] = await Promise.all([snapshotsOf(deps.rds, realId), optionsOf(deps.rds, db)]);
  const facts: AuditFacts = { target: deps.target, instance: db, snapshots, options };
  if (deps.target === 'aws') facts.requireSecureTransport = await requireSecureTransport(deps.rds, db);
  if (options.includes(AUDIT_OPTION)) facts.auditLog = await auditLogTail(deps.rds, realId);
  if (deps.inspect) {
    deps.onProgress?.('inspecting the instance: marker through the server, datadir grep, process, file modes');
    facts.inspection = await deps.inspect(realId);
  }
  const controls = evaluateControls(facts);
  const counts = { pass: 0, fail: 0, 'not-applicable': 0, 'not-measurable': 0 };
  for (const c of controls) counts[c.status]++;
  return { id: realId, target: deps.target, ok: counts.fail === 0, counts, controls, fixPlan: planFixes(controls) };
}

export interface FixOutcome {
  control: string;
  field: string;
  ok: boolean;
  error?: string;
}

/**
 * Applies the plan's modifies through the modify service, one ModifyDBInstance each (ApplyImmediately):
 * a member the target refuses fails alone. Then the audit log through the audit-log service (the same
 * plan and calls as `rdsctl audit-log enable`).
 */
export async function applyFixes(rds: RDSClient, report: AuditReport, w: WaitSettings): Promise<FixOutcome[]> {
  const out: FixOutcome[] = [];
  for (const m of report.fixPlan.modifies) {
    try {
      await modifyInstance(rds, report.id, { [m.field]: m.to }, { applyImmediately: true, dryRun: false, target: report.target, ...w });
      out.push({ control: m.control, field: m.field, ok: true });
    } catch (e) {
      out.push({ control: m.control, field: m.field, ok: false, error: (e as Error).message });
    }
  }
  const a = report.fixPlan.auditLog;
  if (a) {
    const { DEFAULT_AUDIT_EVENTS } = await import('../core/audit-events.js');
    const { planAuditEnable, enableAuditLog } = await import('./audit-log.js');
    try {
      const plan = await planAuditEnable(rds, report.id, DEFAULT_AUDIT_EVENTS);
      await enableAuditLog(rds, plan, w);
      out.push({ control: a.control, field: `OptionGroup ${plan.optionGroup}: MARIADB_AUDIT_PLUGIN`, ok: true });
    } catch (e) {
      out.push({ control: a.control, field: 'OptionGroup: MARIADB_AUDIT_PLUGIN', ok: false, error: (e as Error).message });
    }
  }
  return out;
}
