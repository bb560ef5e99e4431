import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { AnalysisReport } from '../analyze/report/types.js';
import type { WorkloadSummary } from '../analyze/types.js';
import { ExitCode, RdsctlError, usageError } from '../core/errors.js';
import { analyzeQueries } from './analyze.js';
import { openSession, type SqlSession } from './analyze-db.js';
import { applyDdl, resolveDbTarget, validationCopy } from './analyze-target.js';
import type { ValidationTarget } from './analyze-validate.js';

/** Options of `rdsctl analyze-queries`, as the command parsed them. */
export interface AnalyzeCommandOptions {
  instanceId?: string;
  dsn?: string;
  slowLog?: string;
  queries?: string;
  digest?: boolean;
  database?: string;
  top?: number;
  /** undefined = default (on for a local instance, off otherwise). */
  validate?: boolean;
  validateOn?: string;
  /** Percent, e.g. 50. */
  threshold?: number;
  budget?: number;
  ddlOut?: string;
  apply?: boolean;
  passwordStdin?: boolean;
}

export interface AnalyzeEnv {
  target: 'local' | 'aws';
  home: string;
  rds?: () => Promise<RDSClient>;
  password?: () => Promise<string | undefined>;
  progress: (message: string) => void;
  /** Throws unless the user agreed (TTY prompt, or --yes); the report comes with it, to be shown before the question. */
  confirm: (question: string, report: AnalysisReport) => Promise<void>;
}

export function checkOptions(o: AnalyzeCommandOptions): void {
  const sources = [o.slowLog, o.queries, o.digest ? 'digest' : undefined].filter(Boolean);
  if (sources.length !== 1) {
    throw usageError('WORKLOAD_SOURCE', sources.length ? 'Give only one workload source.' : 'Name the workload to analyze.', {
      hint: 'Use exactly one of --slow-log <file>, --queries <file|->, --digest.' });
  }
  if (o.threshold !== undefined && !(o.threshold > 0 && o.threshold <= 100)) {
    throw usageError('INVALID_THRESHOLD', `--threshold must be a percentage between 1 and 100 (got ${o.threshold}).`, { hint: 'e.g. --threshold 50' });
  }
  if (o.top !== undefined && !(Number.isInteger(o.top) && o.top > 0)) throw usageError('INVALID_TOP', '--top must be a positive integer.', { hint: 'e.g. --top 20' });
  if (o.budget !== undefined && !(Number.isInteger(o.budget) && o.budget > 0)) {
    throw usageError('INVALID_BUDGET', `--budget must be a positive integer (new indexes per table, got ${o.budget}).`, { hint: 'e.g. --budget 3' });
  }
  if (o.passwordStdin && o.queries === '-') {
    throw usageError('STDIN_TWICE', '--password-stdin and --queries - both want stdin.', { hint: 'Put the statements in a file, or the password in RDSCTL_DB_PASSWORD.' });
  }
  if (o.validateOn && o.validate === false) throw usageError('VALIDATE_CONFLICT', '--validate-on and --no-validate contradict each other.', { hint: 'Drop one of them.' });
}

async function loadSource(o: AnalyzeCommandOptions, session: SqlSession, database: string | undefined): Promise<WorkloadSummary> {
  const { loadWorkload } = await import('../analyze/workload/index.js');
  const opts = { database };
  if (o.slowLog) return loadWorkload({ kind: 'slow-log', file: o.slowLog }, opts);
  if (o.queries) return loadWorkload({ kind: 'queries', file: o.queries }, opts);
  const connection = { query: async (sql: string, values?: unknown[]) => [await session.query(sql, values), undefined] as [unknown, unknown] };
  return loadWorkload({ kind: 'digest', connection }, opts);
}

/**
 * PERFORMANCE_SCHEMA_OFF with the steps for where the server runs: the local endpoint starts its instances
 * with performance_schema OFF (a static parameter: a parameter group and a reboot), so the slow log is the way there; on RDS it is
 * a static parameter of a custom parameter group (the default group cannot be changed), applied at reboot.
 */
export function digestHint(err: unknown, target: 'local' | 'aws', localInstance: boolean, id?: string): unknown {
  if (!(err instanceof RdsctlError) || err.code !== 'PERFORMANCE_SCHEMA_OFF') return err;
  const hint = localInstance
    ? `Local instances run with performance_schema OFF: use --capture 10m (records the live workload through its parameter group), --slow-log-from ${id ?? 'the instance'} (what its slow log holds), --slow-log <file> or --queries <file.sql>.`
    : target === 'aws' && id
      ? `On RDS: aws rds modify-db-parameter-group --db-parameter-group-name <custom group of ${id}> --parameters ParameterName=performance_schema,ParameterValue=1,ApplyMethod=pending-reboot, then rdsctl reboot ${id} and let the workload run. Or use --slow-log / --queries.`
      : err.hint;
  return new RdsctlError(err.code, err.exitCode, err.message, { hint, cause: err });
}

/** The whole command: connect read-only, load the workload, analyze, maybe validate, write DDL, maybe apply. */
export async function runAnalyze(o: AnalyzeCommandOptions, env: AnalyzeEnv): Promise<AnalysisReport> {
  checkOptions(o);
  if (o.ddlOut) await checkWritable(o.ddlOut);
  // Read once: the analyzed server and a --validate-on copy may both need it, and stdin can be read only once.
  let secret: Promise<string | undefined> | undefined;
  const password = env.password && (() => (secret ??= env.password!()));
  const { db, localInstance } = await resolveDbTarget({ instanceId: o.instanceId, dsn: o.dsn, database: o.database, target: env.target, home: env.home, rds: env.rds, password });
  env.progress(`connecting to ${db.label}`);
  const session = await openSession(db, { readOnly: true });
  let report: AnalysisReport;
  let copy: ValidationTarget | undefined;
  try {
    // Checked before any work: a --validate-on that is the analyzed database itself is refused up front.
    if (o.validateOn) copy = await validationCopy(o.validateOn, session, [db.database ?? ''], password);
    const workload = await loadSource(o, session, db.database).catch((err: unknown) => { throw digestHint(err, env.target, localInstance, o.instanceId); });
    env.progress(`workload: ${workload.events} events in ${workload.classes.length} classes (${workload.source})`);
    const validateWanted = o.validateOn !== undefined || (o.validate ?? localInstance);
    if (validateWanted && !o.validateOn && !localInstance) {
      throw usageError('VALIDATE_NEEDS_COPY', 'Validation builds indexes, and never on the analyzed server: it needs a copy.', {
        hint: 'Pass --validate-on <dsn of a copy>, or --no-validate for estimates only.' });
    }
    report = await analyzeQueries({
      session, classes: workload.classes, workload, defaultDb: db.database, top: o.top,
      threshold: (o.threshold ?? 50) / 100, perTableBudget: o.budget, onProgress: env.progress,
      openValidation: !validateWanted ? undefined
        : copy ? async () => copy!
          : async (tables) => {
            const { temporaryInstanceClone } = await import('./analyze-clone.js');
            return temporaryInstanceClone({ rds: await env.rds!(), home: env.home, sourceId: o.instanceId!, source: db, tables, progress: env.progress });
          },
    });
  } finally {
    await copy?.cleanup();
    await session.close();
  }
  if (o.ddlOut) await writeDdl(o.ddlOut, report);
  if (o.apply && report.ddl.length) {
    await env.confirm(`Build ${report.ddl.length} index(es) on ${db.label}?`, report);
    report.applied = await applyDdl(db, report.ddl);
  }
  return report;
}

/** Most statements failed (e.g. no default database): the report is out, the command must still fail (exit 6). */
export function analysisFailedError(r: AnalysisReport): RdsctlError | undefined {
  if (!r.failure) return undefined;
  return new RdsctlError('ANALYSIS_FAILED', ExitCode.checkFailed, `${r.failure.reason}.`, { hint: r.failure.hint });
}

/** The recommendations as runnable DDL; redundant/unused indexes only as commented-out hide steps. */
export function ddlFileText(r: AnalysisReport): string {
  const head = [`-- rdsctl analyze-queries: ${r.recommendations.length} index(es) for ${r.server.label}`, '-- Review before running; each statement is online (INPLACE, LOCK=NONE).'];
  const body = r.recommendations.map((x) => `-- ${x.reason}; serves ${x.queries.join(', ')}\n${x.ddl}`);
  const hide = [...r.redundant, ...r.unused].map((x) => `-- ${x.kind} ${x.db}.${x.table}.${x.index}: ${x.detail}\n-- ${x.hideDdl}`);
  const tail = hide.length ? ['', '-- Indexes that look unnecessary: hide first (reversible), drop only once nothing got slower.', ...hide] : [];
  return `${[...head, ...body, ...tail].join('\n')}\n`;
}

const ddlOutError = (file: string, err: unknown) => usageError('DDL_OUT_UNWRITABLE', `Cannot write --ddl-out ${file}: ${(err as Error).message}.`, {
  hint: 'Name a file in an existing folder you can write to.', cause: err });

/** Before any work (a validation copy can take minutes): a --ddl-out that cannot be written is a usage error. */
export async function checkWritable(file: string): Promise<void> {
  const { access, constants, stat } = await import('node:fs/promises');
  try {
    const st = await stat(file).catch(() => undefined);
    if (st?.isDirectory()) throw new Error('it is a folder');
    await access(st ? file : path.dirname(path.resolve(file)), constants.W_OK);
  } catch (err) {
    throw ddlOutError(file, err);
  }
}

async function writeDdl(file: string, r: AnalysisReport): Promise<void> {
  await writeFile(file, ddlFileText(r), { mode: 0o644 }).catch((err: unknown) => { throw ddlOutError(file, err); });
}
