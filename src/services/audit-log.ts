import type { CreateDBInstanceMessage, DBInstance, OptionGroup, RDSClient } from '@aws-sdk/client-rds';
import { AUDIT_OPTION, DEFAULT_AUDIT_EVENTS, parseAuditEvents } from '../core/audit-events.js';
import { conflictError, remoteError, usageError } from '../core/errors.js';
import { describeInstance, provisionInstance, type WaitSettings } from './instances.js';

/**
 * `rdsctl audit-log`: the audit log the RDS way, on both targets: the MARIADB_AUDIT_PLUGIN option in the
 * instance's option group. An instance on its default group (which cannot be modified) moves to its own
 * group `<id>-audit`, made if missing. The option is applied without a restart (RDS: not persistent, no
 * reboot; the local endpoint loads server_audit at runtime).
 */
export interface AuditPlan {
  DBInstanceIdentifier: string;
  /** The group that gets the option. */
  optionGroup: string;
  createsGroup: boolean;
  movesInstance: boolean;
  events: string;
  /** Nothing restarts: the option is dynamic. */
  restarts: false;
  /** Other instances on the same group get the option too. */
  sharedWith: string[];
  steps: string[];
}

const groupOf = (db: DBInstance) => db.OptionGroupMemberships?.[0]?.OptionGroupName ?? '';
const isDefault = (name: string) => name.startsWith('default:');
const majorOf = (version: string) => version.split('.').slice(0, 2).join('.');

async function findGroup(rds: RDSClient, name: string): Promise<OptionGroup | undefined> {
  const { DescribeOptionGroupsCommand } = await import('@aws-sdk/client-rds');
  try {
    return (await rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: name }))).OptionGroupsList?.[0];
  } catch (err) {
    if ((err as Error).name === 'OptionGroupNotFoundFault') return undefined;
    throw err;
  }
}

async function instancesOn(rds: RDSClient, group: string, except: string): Promise<string[]> {
  const { paginateDescribeDBInstances } = await import('@aws-sdk/client-rds');
  const out: string[] = [];
  for await (const page of paginateDescribeDBInstances({ client: rds }, {})) {
    for (const db of page.DBInstances ?? []) if (groupOf(db) === group && db.DBInstanceIdentifier !== except) out.push(db.DBInstanceIdentifier!);
  }
  return out;
}

/** `via`: the flag as the calling command spells it and the command line the hint shows. */
export function checkEvents(events: string | undefined, id: string, via = { flag: '--events', example: `rdsctl audit-log enable ${id} --events` }): string {
  const parsed = parseAuditEvents(events ?? DEFAULT_AUDIT_EVENTS);
  if (parsed.bad.length > 0 || parsed.events === '') {
    throw usageError('BAD_AUDIT_EVENTS', `${via.flag} "${events}": unknown event ${parsed.bad.join(', ') || '(none given)'}; use CONNECT, QUERY, TABLE, QUERY_DDL, QUERY_DML, QUERY_DML_NO_SELECT, QUERY_DCL. Nothing was changed.`, {
      hint: `e.g. ${via.example} CONNECT,QUERY_DDL,QUERY_DCL`,
    });
  }
  return parsed.events;
}

/** The group rdsctl makes for one instance's audit log (an instance cannot use the unmodifiable default group). */
export const auditGroupName = (id: string) => `${id}-audit`;

/** What enable will do (also the --dry-run output): read-only calls only. */
export async function planAuditEnable(rds: RDSClient, id: string, events: string): Promise<AuditPlan> {
  const db = await describeInstance(rds, id);
  const instance = db.DBInstanceIdentifier!;
  const current = groupOf(db);
  const optionGroup = isDefault(current) ? auditGroupName(instance) : current;
  const createsGroup = isDefault(current) && (await findGroup(rds, optionGroup)) === undefined;
  const sharedWith = isDefault(current) ? [] : await instancesOn(rds, optionGroup, instance);
  const steps = [
    ...(createsGroup ? [`create option group ${optionGroup} (${db.Engine} ${majorOf(db.EngineVersion ?? '')})`] : []),
    `add ${AUDIT_OPTION} with SERVER_AUDIT_EVENTS=${events} to ${optionGroup}`,
    ...(isDefault(current) ? [`move ${instance} from ${current} to ${optionGroup} (applied immediately)`] : []),
  ];
  return { DBInstanceIdentifier: instance, optionGroup, createsGroup, movesInstance: isDefault(current), events, restarts: false, sharedWith, steps };
}

/** The engine's major version for an option group: the one asked for, else the target's default version. */
async function majorFor(rds: RDSClient, id: string, engine: string, version: string | undefined): Promise<string> {
  if (version) return majorOf(version);
  const { DescribeDBEngineVersionsCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new DescribeDBEngineVersionsCommand({ Engine: engine, DefaultOnly: true }));
  const v = res.DBEngineVersions?.[0]?.EngineVersion;
  if (!v) throw usageError('ENGINE_VERSION_UNKNOWN', `The target has no default ${engine} version to make the audit option group for.`, { hint: `Pass the version: rdsctl provision ${id} --audit-log --engine-version 10.11` });
  return majorOf(v);
}

/**
 * `rdsctl provision --audit-log`: the instance is created on `<id>-audit` with MARIADB_AUDIT_PLUGIN in it,
 * so it is audited from its first connection. Read-only; an existing group of another engine is refused.
 */
export async function planProvisionAudit(rds: RDSClient, req: { id: string; engine: string; engineVersion?: string; events: string }): Promise<AuditPlan & { engine: string; major: string }> {
  const optionGroup = auditGroupName(req.id);
  const major = await majorFor(rds, req.id, req.engine, req.engineVersion);
  const found = await findGroup(rds, optionGroup);
  if (found && (found.EngineName !== req.engine || found.MajorEngineVersion !== major)) {
    throw conflictError('OPTION_GROUP_ENGINE_MISMATCH', `Option group ${optionGroup} exists for ${found.EngineName} ${found.MajorEngineVersion}, not ${req.engine} ${major}: nothing was created.`, {
      hint: `Delete it (aws rds delete-option-group --option-group-name ${optionGroup}) or pick another instance name.`,
    });
  }
  const sharedWith = found ? await instancesOn(rds, optionGroup, req.id) : [];
  const steps = [
    ...(found ? [] : [`create option group ${optionGroup} (${req.engine} ${major})`]),
    `add ${AUDIT_OPTION} with SERVER_AUDIT_EVENTS=${req.events} to ${optionGroup}`,
    `create ${req.id} on ${optionGroup}`,
  ];
  return { DBInstanceIdentifier: req.id, optionGroup, createsGroup: !found, movesInstance: false, events: req.events, restarts: false, sharedWith, steps, engine: req.engine, major };
}

/** The one way the option gets into a group (enable and provision): the group made when the plan says so, then the option with its events. */
export async function putAuditOption(rds: RDSClient, plan: AuditPlan, create: { engine: string; major: string }): Promise<void> {
  const { CreateOptionGroupCommand, ModifyOptionGroupCommand } = await import('@aws-sdk/client-rds');
  if (plan.createsGroup) {
    await rds.send(new CreateOptionGroupCommand({
      OptionGroupName: plan.optionGroup, EngineName: create.engine, MajorEngineVersion: create.major,
      OptionGroupDescription: `Audit log of ${plan.DBInstanceIdentifier} (rdsctl audit-log)`,
    }));
  }
  await rds.send(new ModifyOptionGroupCommand({
    OptionGroupName: plan.optionGroup, ApplyImmediately: true,
    OptionsToInclude: [{ OptionName: AUDIT_OPTION, OptionSettings: [{ Name: 'SERVER_AUDIT_EVENTS', Value: plan.events }] }],
  }));
}

/** provision --audit-log after a failed CreateDBInstance: the group it made is removed again (nothing else changed). */
export async function dropAuditGroup(rds: RDSClient, plan: AuditPlan): Promise<void> {
  if (!plan.createsGroup) return;
  const { DeleteOptionGroupCommand } = await import('@aws-sdk/client-rds');
  await rds.send(new DeleteOptionGroupCommand({ OptionGroupName: plan.optionGroup })).catch(() => undefined);
}

export async function enableAuditLog(rds: RDSClient, plan: AuditPlan, wait: { timeoutMs: number; intervalMs: number }): Promise<DBInstance> {
  const { ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const db = await describeInstance(rds, plan.DBInstanceIdentifier);
  await putAuditOption(rds, plan, { engine: db.Engine!, major: majorOf(db.EngineVersion ?? '') });
  if (plan.movesInstance) await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: plan.DBInstanceIdentifier, OptionGroupName: plan.optionGroup, ApplyImmediately: true }));
  return waitInSync(rds, plan.DBInstanceIdentifier, wait);
}

/** Removes the option from the instance's group (the group stays; the default group never has it). */
export async function disableAuditLog(rds: RDSClient, id: string, wait: { timeoutMs: number; intervalMs: number }): Promise<{ DBInstanceIdentifier: string; optionGroup: string; changed: boolean }> {
  const db = await describeInstance(rds, id);
  const instance = db.DBInstanceIdentifier!;
  const group = groupOf(db);
  const og = isDefault(group) ? undefined : await findGroup(rds, group);
  if (!og?.Options?.some((o) => o.OptionName === AUDIT_OPTION)) return { DBInstanceIdentifier: instance, optionGroup: group, changed: false };
  const { ModifyOptionGroupCommand } = await import('@aws-sdk/client-rds');
  await rds.send(new ModifyOptionGroupCommand({ OptionGroupName: group, ApplyImmediately: true, OptionsToRemove: [AUDIT_OPTION] }));
  await waitInSync(rds, instance, wait);
  return { DBInstanceIdentifier: instance, optionGroup: group, changed: true };
}

/**
 * Until OptionGroupMemberships says in-sync (the option is on the server) or pending-apply (a local server
 * started by an older rdsctl without server_audit loaded: it applies at the next reboot); `failed` is a remote error.
 */
export async function waitInSync(rds: RDSClient, id: string, wait: { timeoutMs: number; intervalMs: number }): Promise<DBInstance> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const db = await describeInstance(rds, id);
    const status = db.OptionGroupMemberships?.[0]?.Status;
    if (status === 'in-sync' || status === 'pending-apply') return db;
    if (status === 'failed') throw remoteError('OPTION_GROUP_FAILED', `The option group ${groupOf(db)} could not be applied to ${id}.`, { hint: `See its status: rdsctl describe ${id}; the events: aws rds describe-events --source-identifier ${id}.` });
    if (Date.now() > deadline) throw remoteError('OPTION_GROUP_TIMEOUT', `${id}'s option group is still ${status} after ${Math.round(wait.timeoutMs / 1000)} s.`, { hint: `Check again with rdsctl describe ${id}.` });
    await new Promise((r) => setTimeout(r, wait.intervalMs));
  }
}

/** provision --audit-log: the group first (audited from the first connection), then the instance on it; a failed create leaves no group behind. */
export async function provisionAudited(rds: RDSClient, input: CreateDBInstanceMessage, plan: AuditPlan & { engine: string; major: string }, w: WaitSettings): Promise<DBInstance> {
  w.onProgress(plan.steps.slice(0, -1).join('; '));
  await putAuditOption(rds, plan, plan);
  try {
    return await provisionInstance(rds, { ...input, OptionGroupName: plan.optionGroup }, w);
  } catch (err) {
    await dropAuditGroup(rds, plan);
    throw err;
  }
}
