import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { TableStats } from '../analyze/advisor/types.js';
import { qualified, quoteIdent } from '../analyze/advisor/ddl.js';
import { remoteError } from '../core/errors.js';
import { openSession, type DbTarget, type SqlSession } from './analyze-db.js';
import { guardInterrupts } from './analyze-interrupt.js';
import type { ValidationTarget } from './analyze-validate.js';
import type { Progress } from './progress.js';

export interface InstanceCloneRequest {
  rds: RDSClient;
  home: string;
  sourceId: string;
  source: DbTarget;
  tables: TableStats[];
  progress: Progress;
}

/**
 * Local target: a temporary DB instance (same class and encryption as the source) created through the
 * endpoint, holding a logical copy of the involved tables (mariadb-dump | mariadb, consistent snapshot)
 * with fresh statistics. Candidate indexes are built there, never on the source; it is deleted afterwards.
 */
export async function temporaryInstanceClone(req: InstanceCloneRequest): Promise<ValidationTarget> {
  const { deleteInstance, describeInstance, provisionInstance } = await import('./instances.js');
  const src = await describeInstance(req.rds, req.sourceId);
  const cloneId = `whatif-${req.sourceId}`.slice(0, 50).replace(/-+$/, '') + `-${Date.now().toString(36)}`;
  const wait = { wait: true, intervalMs: 300, timeoutMs: 300_000, onProgress: () => undefined };
  const manual = `rdsctl delete ${cloneId} --skip-final-snapshot --yes`;
  // Resolves once CreateDBInstance has been answered (or failed): deleting before that could race the create.
  let requested!: () => void;
  const createSent = new Promise<void>((r) => (requested = r));
  let removing: Promise<void> | undefined;
  const remove = () => (removing ??= (async () => {
    await createSent;
    req.progress(`deleting temporary instance ${cloneId}`);
    await deleteInstance(req.rds, { DBInstanceIdentifier: cloneId, SkipFinalSnapshot: true }, wait).catch((err: Error) =>
      req.progress(`could not delete temporary instance ${cloneId} (${err.message}): delete it with ${manual}`));
  })());
  // Ctrl-C from here on deletes the instance before exiting; released once it is gone.
  const guard = guardInterrupts(remove, manual, req.progress);
  const removeAndRelease = async () => { await remove(); guard.release(); };
  req.progress(`creating temporary instance ${cloneId} for validation`);
  let session: SqlSession | undefined;
  try {
    await provisionInstance(req.rds, {
      DBInstanceIdentifier: cloneId, Engine: src.Engine, DBInstanceClass: src.DBInstanceClass, AllocatedStorage: src.AllocatedStorage,
      StorageEncrypted: src.StorageEncrypted, BackupRetentionPeriod: 0, MasterUsername: 'whatif', ManageMasterUserPassword: true,
      Tags: [{ Key: 'rdsctl:purpose', Value: `analyze-queries validation clone of ${req.sourceId}` }],
    }, { ...wait, onProgress: () => requested() }).finally(() => requested());
    const { getCredentials } = await import('./credentials.js');
    const c = await getCredentials(req.rds, 'local', req.home, cloneId);
    const clone: DbTarget = { host: c.host, port: c.port, user: c.username, password: c.password, tls: { caFile: c.caFile }, label: `temporary instance ${cloneId}` };
    session = await openSession(clone);
    for (const db of new Set(req.tables.map((t) => t.db))) await session.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(db)}`);
    await copyTables(req.source, clone, req.tables, req.progress);
    for (const t of req.tables) await session.query(`ANALYZE TABLE ${qualified(t.db, t.table)}`);
    const open = session;
    return {
      session: open, mode: 'temporary-instance', label: clone.label, mapDb: (d) => d,
      cleanup: async () => {
        await open.close();
        await removeAndRelease();
      },
    };
  } catch (err) {
    await session?.close();
    await removeAndRelease();
    throw err;
  }
}

/** Per database: mariadb-dump of the tables piped into the clone. Passwords go through 0600 option files. */
async function copyTables(from: DbTarget, to: DbTarget, tables: TableStats[], progress: Progress): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-clone-'));
  try {
    const fromCnf = await optionFile(dir, 'from.cnf', from);
    const toCnf = await optionFile(dir, 'to.cnf', to);
    for (const db of new Set(tables.map((t) => t.db))) {
      const names = tables.filter((t) => t.db === db).map((t) => t.table);
      progress(`copying ${names.length} table(s) of ${db} to the temporary instance`);
      await pipe(
        ['mariadb-dump', `--defaults-extra-file=${fromCnf}`, '--single-transaction', '--skip-triggers', '--no-tablespaces', '--', db, ...names],
        ['mariadb', `--defaults-extra-file=${toCnf}`, '--init-command=SET foreign_key_checks=0', '--', db],
        db,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function optionFile(dir: string, name: string, t: DbTarget): Promise<string> {
  const q = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['[client]', `user=${q(t.user)}`, `password=${q(t.password ?? '')}`];
  if (t.socketPath) lines.push(`socket=${q(t.socketPath)}`);
  else lines.push(`host=${t.host}`, `port=${t.port}`);
  if (t.tls?.caFile) lines.push('ssl', `ssl-ca=${q(t.tls.caFile)}`, 'ssl-verify-server-cert');
  const file = path.join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

/** dump | load, failing with the stderr of whichever side failed. */
function pipe(dumpArgs: string[], loadArgs: string[], db: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const dump = spawn(dumpArgs[0], dumpArgs.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn(loadArgs[0], loadArgs.slice(1), { stdio: ['pipe', 'ignore', 'pipe'] });
    dump.stdout.pipe(load.stdin);
    // The loader dying (bad input, its instance deleted on Ctrl-C) breaks the pipe: its exit code reports it.
    load.stdin.on('error', () => undefined);
    let errors = '';
    dump.stderr.on('data', (d) => (errors += d));
    load.stderr.on('data', (d) => (errors += d));
    let pending = 2;
    let failed = false;
    const done = (who: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(remoteError('CLONE_COPY_FAILED', `Copying ${db} to the temporary instance failed (${who} exited ${code}): ${errors.trim().split('\n')[0] ?? ''}`, {
          hint: 'Check `rdsctl doctor` (mariadb-dump and mariadb are needed), or validate on your own copy with --validate-on <dsn>.' }));
      }
      if (--pending === 0 && !failed) resolve();
    };
    dump.on('exit', done('mariadb-dump'));
    load.on('exit', done('mariadb'));
    dump.on('error', (e) => reject(e));
    load.on('error', (e) => reject(e));
  });
}
