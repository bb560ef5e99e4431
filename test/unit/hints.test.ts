import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RDSServiceException } from '@aws-sdk/client-rds';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { notServing } from '../../src/core/instance-state.js';
import { buildProgram } from '../../src/cli/main.js';
import { AWS_ERRORS, stateHint, tagRequest, toRdsctlError } from '../../src/cli/to-error.js';
import { REPO } from '../helpers/local-cli.js';

// Issue 6 §2: every hint names a real rdsctl command and real flags, with the real id — never `<id>`,
// never an API parameter (`ManageMasterUserPassword=false`, `SkipFinalSnapshot=true`).
const { program } = buildProgram({ write: () => {} });
const globalFlags = new Set(program.options.map((o) => o.long));

function findCommand(words: string[]): { cmd: Command; rest: string[] } | undefined {
  let cmd: Command | undefined;
  let scope: readonly Command[] = program.commands;
  let i = 0;
  for (; i < words.length; i++) {
    const next = scope.find((c) => c.name() === words[i]);
    if (!next) break;
    cmd = next;
    scope = next.commands;
  }
  return cmd ? { cmd, rest: words.slice(i) } : undefined;
}

/** The `rdsctl …` invocations in a hint, each checked against the real command tree. */
function problemsOf(hint: string, id: string): string[] {
  const problems: string[] = [];
  if (/<[a-z-]+>/.test(hint)) problems.push(`placeholder in "${hint}"`);
  if (/\b[A-Z][A-Za-z]+=(true|false)\b/.test(hint)) problems.push(`API parameter in "${hint}"`);
  if (/\b(ManageMasterUserPassword|SkipFinalSnapshot|MasterUserPassword|ApplyImmediately|FinalDBSnapshotIdentifier)\b/.test(hint)) problems.push(`API name in "${hint}"`);
  for (const m of hint.matchAll(/rdsctl ([^`;,()]+)/g)) {
    const words = m[1]!.trim().replace(/\.$/, '').split(/\s+/);
    const found = findCommand(words);
    if (!found) {
      problems.push(`no command "rdsctl ${words.join(' ')}"`);
      continue;
    }
    const flags = new Set([...found.cmd.options.map((o) => o.long), ...found.cmd.options.map((o) => o.short), ...globalFlags]);
    for (const w of found.rest.filter((x) => x.startsWith('-'))) if (!flags.has(w)) problems.push(`"rdsctl ${words.join(' ')}": no flag ${w}`);
    const takesId = found.cmd.registeredArguments.some((a) => a.name() === 'id');
    if (takesId && found.rest[0] !== id) problems.push(`"rdsctl ${words.join(' ')}" does not name ${id}`);
  }
  return problems;
}

const awsError = (name: string, message: string, status = 400) => {
  const err = new RDSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
  tagRequest(err, { id: 'shop', target: 'local' });
  return err;
};

describe('every hint names real commands and flags with the real id', () => {
  it.each(Object.keys(AWS_ERRORS))('the %s entry of the error table', (name) => {
    const e = toRdsctlError(awsError(name, `${name} happened`));
    expect(problemsOf(e.hint ?? '', 'shop')).toEqual([]);
  });

  it.each([
    ['InvalidParameterCombination', "Can't delete shop: deletion protection is enabled.", 'DELETION_PROTECTED'],
    ['InvalidParameterCombination', 'The master password is managed (ManageMasterUserPassword); set ManageMasterUserPassword=false to give your own MasterUserPassword.', 'PASSWORD_MANAGED'],
    ['InvalidDBInstanceStateFault', 'DBInstance shop is not in available state (it is stopped).', 'INVALID_INSTANCE_STATE'],
    ['InvalidDBInstanceStateFault', 'Instance shop is not stopped, it is available.', 'INVALID_INSTANCE_STATE'],
    ['InvalidDBInstanceStateFault', "The DB instance isn't in a valid state.", 'INVALID_INSTANCE_STATE'],
  ])('%s "%s" → %s, and neither message nor hint tells the user an API parameter', (name, message, code) => {
    const e = toRdsctlError(awsError(name, message));
    expect(e.code).toBe(code);
    expect(problemsOf(e.hint ?? '', 'shop')).toEqual([]);
    expect(e.message).not.toMatch(/=true|=false/);
  });

  it('stateHint: a stopped instance is started by name', () => {
    expect(stateHint('DBInstance shop is not in available state (it is stopped).', 'shop')).toBe('It is stopped, and waiting will not change that: `rdsctl start shop` starts it.');
    // Without the request's id, the target's own message names it.
    expect(stateHint('DBInstance shop is not in available state (it is stopped).')).toContain('`rdsctl start shop`');
    expect(problemsOf(stateHint('… (it is stopped).'), 'shop')).toEqual([]);
  });

  it.each(['stopped', 'stopping', 'starting', 'creating', 'rebooting', 'deleting', 'failed', 'storage-full', 'available', 'modifying'])('an instance that is %s: the refusal (if any) names commands for shop', (status) => {
    const e = notServing('shop', status);
    if (['available', 'modifying', 'storage-full'].includes(status)) {
      expect(e).toBeUndefined();
      return;
    }
    expect([e!.code, e!.exitCode]).toEqual(['INSTANCE_NOT_AVAILABLE', 5]);
    expect(problemsOf(e!.hint ?? '', 'shop')).toEqual([]);
    expect(problemsOf(e!.message, 'shop')).toEqual([]);
  });

  it('the checker itself catches the spellings the issue reported', () => {
    expect(problemsOf('It is stopped: `rdsctl start <id>` starts it.', 'shop')).not.toEqual([]);
    expect(problemsOf('Pass SkipFinalSnapshot=true to delete it.', 'shop')).not.toEqual([]);
    expect(problemsOf('rdsctl delete shop --final-snapshots x', 'shop')).not.toEqual([]);
  });
});

describe('no hint in the source spells a placeholder id or an API parameter', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  // src/local/ops speaks the API to API clients (the AWS CLI, boto3): the CLI rewords those (above).
  for (const d of ['cli', 'core', 'services', 'aws', 'analyze', 'system', 'local/control']) walk(path.join(REPO, 'src', d));

  it.each(files.map((f) => [path.relative(REPO, f)]))('%s', (rel) => {
    const lines = readFileSync(path.join(REPO, rel), 'utf8').split('\n');
    const bad = lines
      .map((l, i) => [i + 1, l] as const)
      .filter(([, l]) => /hint/.test(l) && !/^\s*(\/\/|\*)/.test(l))
      .filter(([, l]) => /rdsctl [a-z- ]*<[a-z-]+>|\b[A-Z][A-Za-z]+=(true|false)\b/.test(l));
    expect(bad).toEqual([]);
  });
});
