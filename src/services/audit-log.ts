import type { DBInstance, OptionGroup, RDSClient } from '@aws-sdk/client-rds';
import { AUDIT_OPTION, DEFAULT_AUDIT_EVENTS, parseAuditEvents } from '../core/audit-events.js';
import { remoteError, usageError } from '../core/errors.js';
import { describeInstance } from './instances.js';

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

export function checkEvents(events: string | undefined, id: string): string {
  const parsed = parseAuditEvents(events ?? DEFAULT_AUDIT_EVENTS);
  if (parsed.bad.length > 0 || parsed.events === '') {
    throw usageError('BAD_AUDIT_EVENTS', `--events "${events}": unknown event ${parsed.bad.join(', ') || '(none given)'}; use CONNECT, QUERY, TABLE, QUERY_DDL, QUERY_DML, QUERY_DML_NO_SELECT, QUERY_DCL. Nothing was changed.`, {
      hint: `e.g. rdsctl audit-log enable ${id} --events CONNECT,QUERY_DDL,QUERY_DCL`,
    });
  }
  return parsed.events;
}

/** What enable will do (also the --dry-run output): read-only calls only. */
export async function planAuditEnable(rds: RDSClient, id: string, events: string): Promise<AuditPlan> {
  const db = await describeInstance(rds, id);
  const instance = db.DBInstanceIdentifier!;
  const current = groupOf(db);
  const optionGroup = isDefault(current) ? `${instance}-audit` : current;
  const createsGroup = isDefault(current) && (await findGroup(rds, optionGroup)) === undefined;
  const sharedWith = isDefault(current) ? [] : await instancesOn(rds, optionGroup, instance);
  const steps = [
    ...(createsGroup ? [`create option group ${optionGroup} (${db.Engine} ${majorOf(db.EngineVersion ?? '')})`] : []),
    `add ${AUDIT_OPTION} with SERVER_AUDIT_EVENTS=${events} to ${optionGroup}`,
    ...(isDefault(current) ? [`move ${instance} from ${current} to ${optionGroup} (applied immediately)`] : []),
  ];
  return { DBInstanceIdentifier: instance, optionGroup, createsGroup, movesInstance: isDefault(current), events, restarts: false, sharedWith, steps };
}

export async function enableAuditLog(rds: RDSClient, plan: AuditPlan, wait: { timeoutMs: number; intervalMs: number }): Promise<DBInstance> {
  const { CreateOptionGroupCommand, ModifyOptionGroupCommand, ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const db = await describeInstance(rds, plan.DBInstanceIdentifier);
  if (plan.createsGroup) {
    await rds.send(new CreateOptionGroupCommand({
      OptionGroupName: plan.optionGroup, EngineName: db.Engine, MajorEngineVersion: majorOf(db.EngineVersion ?? ''),
      OptionGroupDescription: `Audit log of ${plan.DBInstanceIdentifier} (rdsctl audit-log)`,
    }));
  }
  await rds.send(new ModifyOptionGroupCommand({
    OptionGroupName: plan.optionGroup, ApplyImmediately: true,
    OptionsToInclude: [{ OptionName: AUDIT_OPTION, OptionSettings: [{ Name: 'SERVER_AUDIT_EVENTS', Value: plan.events }] }],
  }));
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
async function waitInSync(rds: RDSClient, id: string, wait: { timeoutMs: number; intervalMs: number }): Promise<DBInstance> {
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
