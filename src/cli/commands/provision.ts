import type { CreateDBInstanceMessage } from '@aws-sdk/client-rds';
import { usageError } from '../../core/errors.js';
import { DEFAULT_MASTER_USERNAME, MYSQL_LOG_EXPORTS, masterPasswordProblem, masterUsernameProblem, normalizeInstanceId } from '../../core/identifiers.js';
import { requireClassFor } from '../../core/instance-classes.js';
import { parseIntOption, requireMaxStorage, requireRetention, requireStorage } from '../../core/validation.js';
import type { CliContext } from '../context.js';
import { readStdin, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface ProvisionOptions {
  engine?: string; engineVersion?: string; class: string; storage: string; maxStorage?: string;
  backupRetention: string; encrypted: boolean; deletionProtection?: boolean; masterUsername: string; logExports?: string; port?: string; iamAuth?: boolean;
  passwordStdin?: boolean; manageMasterPassword?: boolean; dbName?: string; wait: boolean; dryRun?: boolean; parameterGroup?: string;
  auditLog?: boolean; auditEvents?: string;
}

export const registerProvision: RegisterCommand = (program, run) => {
  program
    .command('provision <id>')
    .description('create a DB instance (encrypted, TLS, automated backups) and wait until it is available')
    .option('--engine <engine>', 'mariadb or mysql (default: mariadb on local, mysql on aws)')
    .option('--engine-version <version>', 'engine version (default: the target default)')
    .option('--class <class>', 'DB instance class', 'db.t4g.medium')
    .option('--storage <gib>', 'allocated storage in GiB (20–65536)', '20')
    .option('--max-storage <gib>', 'storage autoscaling ceiling in GiB')
    .option('--backup-retention <days>', 'automated backup retention (0–35 days)', '7')
    .option('--no-encrypted', 'do not encrypt storage at rest (encrypted by default)')
    .option('--deletion-protection', 'refuse deletion until turned off')
    .option('--master-username <name>', 'master user name', DEFAULT_MASTER_USERNAME)
    .option('--log-exports <types>', `log types to export to CloudWatch Logs, comma-separated (${MYSQL_LOG_EXPORTS.join(', ')})`)
    .option('--port <port>', 'database port (1150–65535; default: the target picks, 3306 on aws)')
    .option('--iam-auth', 'turn on IAM database authentication')
    .option('--audit-log', 'turn the audit log on from the start: the instance is created on its option group ID-audit with MARIADB_AUDIT_PLUGIN (as rdsctl audit-log enable makes it)')
    .option('--audit-events <list>', 'with --audit-log: SERVER_AUDIT_EVENTS (default CONNECT,QUERY_DDL,QUERY_DCL)')
    .option('--password-stdin', 'read the master password from stdin (else env RDSCTL_MASTER_PASSWORD)')
    .option('--manage-master-password', 'let the target generate and keep the master password')
    .option('--db-name <name>', 'create this database')
    .option('--parameter-group <name>', 'DB parameter group (default: the engine family\'s default group); see rdsctl params')
    .option('--no-wait', 'return once creation has started')
    .option('--dry-run', 'print the request and create nothing')
    .action((id: string, opts: ProvisionOptions, cmd) =>
      run(cmd, async (ctx) => {
        const input = await buildCreateRequest(ctx, id, opts);
        const events = await auditEvents(opts, input.DBInstanceIdentifier!);
        const shown = { ...input, MasterUserPassword: input.MasterUserPassword ? '(hidden)' : undefined };
        if (opts.dryRun && events === undefined) {
          ctx.out.result({ dryRun: true, request: shown }, () => `Would create ${input.DBInstanceIdentifier}:\n${JSON.stringify(shown, null, 2)}`);
          return;
        }
        const { clientsFor } = await import('../clients.js');
        const { rds } = await clientsFor(ctx);
        const audit = events === undefined ? undefined : await import('../../services/audit-log.js');
        const plan = audit && events ? await audit.planProvisionAudit(rds, { id: input.DBInstanceIdentifier!, engine: input.Engine!, engineVersion: input.EngineVersion, events }) : undefined;
        const auditText = plan ? ['Audit log:', ...plan.steps.map((s) => `  - ${s}`), ...(plan.sharedWith.length ? [`  The group is shared: ${plan.sharedWith.join(', ')} get these events too.`] : [])].join('\n') : '';
        if (opts.dryRun) {
          const request = { ...shown, OptionGroupName: plan!.optionGroup };
          ctx.out.result({ dryRun: true, request, auditLog: plan }, () => `Would create ${input.DBInstanceIdentifier}:\n${JSON.stringify(request, null, 2)}\n${auditText}`);
          return;
        }
        const { provisionInstance } = await import('../../services/instances.js');
        const w = waitSettings(ctx, opts.wait);
        const db = plan && audit ? await audit.provisionAudited(rds, input, plan, w) : await provisionInstance(rds, input, w);
        const { renderInstance } = await import('../render/instances.js');
        ctx.out.result({ DBInstance: db, ...(plan ? { auditLog: plan } : {}) }, () => renderInstance(db, ctx.target)
          + (plan ? `\nAudit log: on (${plan.events}, option group ${plan.optionGroup}); read it: rdsctl logs ${input.DBInstanceIdentifier} --audit` : ''));
      }),
    );
};

async function buildCreateRequest(ctx: CliContext, id: string, o: ProvisionOptions): Promise<CreateDBInstanceMessage> {
  const DBInstanceIdentifier = normalizeInstanceId(id);
  const AllocatedStorage = requireStorage(parseIntOption(o.storage, '--storage'));
  const MaxAllocatedStorage = o.maxStorage === undefined ? undefined : requireMaxStorage(parseIntOption(o.maxStorage, '--max-storage'), AllocatedStorage);
  const userProblem = masterUsernameProblem(o.masterUsername);
  if (userProblem) throw usageError('INVALID_MASTER_USERNAME', `Master username "${o.masterUsername}" ${userProblem}.`);
  const DBInstanceClass = requireClassFor(o.class, ctx.target);
  const BackupRetentionPeriod = requireRetention(parseIntOption(o.backupRetention, '--backup-retention'));
  const password = await masterPassword(o);
  return {
    DBInstanceIdentifier,
    Engine: o.engine ?? (ctx.target === 'local' ? 'mariadb' : 'mysql'),
    EngineVersion: o.engineVersion,
    DBInstanceClass,
    AllocatedStorage,
    MaxAllocatedStorage,
    StorageType: 'gp3',
    BackupRetentionPeriod,
    StorageEncrypted: o.encrypted,
    DeletionProtection: Boolean(o.deletionProtection),
    MasterUsername: o.masterUsername,
    ...(password === undefined ? { ManageMasterUserPassword: true } : { MasterUserPassword: password }),
    DBName: o.dbName,
    DBParameterGroupName: o.parameterGroup,
    PubliclyAccessible: false,
    CopyTagsToSnapshot: true,
    ...securityOptions(o),
  };
}

/** The flags `rdsctl audit`'s controls ask for (docs/SECURITY.md): log exports (RDS.9), port (RDS.23), IAM auth (RDS.10). */
function securityOptions(o: ProvisionOptions): Partial<CreateDBInstanceMessage> {
  const out: Partial<CreateDBInstanceMessage> = {};
  if (o.logExports !== undefined) {
    const types = o.logExports.split(',').map((t) => t.trim()).filter(Boolean);
    const bad = types.filter((t) => !MYSQL_LOG_EXPORTS.includes(t));
    if (bad.length || !types.length) {
      throw usageError('INVALID_LOG_EXPORTS', `--log-exports: unknown log type ${bad.join(', ') || '(none given)'}.`, { hint: `Use some of ${MYSQL_LOG_EXPORTS.join(',')}, e.g. --log-exports audit,error,general,slowquery` });
    }
    out.EnableCloudwatchLogsExports = types;
  }
  if (o.port !== undefined) {
    const port = parseIntOption(o.port, '--port');
    if (port < 1150 || port > 65535) throw usageError('INVALID_PORT', `--port must be 1150–65535 for MySQL and MariaDB on RDS (got ${port}).`, { hint: 'e.g. --port 3307' });
    out.Port = port;
  }
  if (o.iamAuth) out.EnableIAMDatabaseAuthentication = true;
  return out;
}

/** --audit-log's events, checked as rdsctl audit-log checks them (undefined: no audit log asked for). */
async function auditEvents(o: ProvisionOptions, id: string): Promise<string | undefined> {
  if (!o.auditLog) {
    if (o.auditEvents !== undefined) throw usageError('AUDIT_EVENTS_NEED_AUDIT_LOG', '--audit-events goes with --audit-log: nothing was created.', { hint: `rdsctl provision ${id} --audit-log --audit-events ${o.auditEvents}` });
    return undefined;
  }
  const { checkEvents } = await import('../../services/audit-log.js');
  return checkEvents(o.auditEvents, id, { flag: '--audit-events', example: `rdsctl provision ${id} --audit-log --audit-events` });
}

/** --password-stdin, RDSCTL_MASTER_PASSWORD, or managed; never a flag value (it would show in `ps`). */
async function masterPassword(o: ProvisionOptions): Promise<string | undefined> {
  if (o.manageMasterPassword) {
    if (o.passwordStdin) throw usageError('CONFLICTING_PASSWORD_SOURCES', '--manage-master-password and --password-stdin exclude each other.');
    return undefined;
  }
  const pw = o.passwordStdin ? await readStdin() : process.env.RDSCTL_MASTER_PASSWORD;
  if (pw === undefined || pw === '') {
    throw usageError('MISSING_PASSWORD_SOURCE', 'No master password source: nothing was created.', {
      hint: 'Use --manage-master-password, or pipe it with --password-stdin, or set RDSCTL_MASTER_PASSWORD.',
    });
  }
  const problem = masterPasswordProblem(pw);
  if (problem) throw usageError('INVALID_PASSWORD', `The master password ${problem}.`);
  return pw;
}
