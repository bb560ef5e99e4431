import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/local-cli.js';

// Issue 12 §2 "or IAM with --iam": `rdsctl iam grant --privileges` already makes an IAM user with its
// policy and the role's grants, so `users create --iam` refuses, naming that command with the real id,
// name, role and schema — before any call (the home is never even created).
const HOME = '/nonexistent-rdsctl-home-users-iam';
const cli = (...args: string[]) => runCli(args, { env: { RDSCTL_HOME: HOME } });

describe('users create --iam', () => {
  it('exit 2 naming rdsctl iam grant with the real values; nothing created', async () => {
    const r = await cli('users', 'create', 'shop', 'app_rw', '--role', 'app', '--database', 'sales', '--iam');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: An IAM user is made with its IAM policy by rdsctl iam grant, not users create: nothing was changed\.\nhint: rdsctl iam grant shop --db-user app_rw --role APP-ROLE --privileges app --database sales$/m);
    const j = await cli('users', 'create', 'shop', 'app_rw', '--role', 'readonly', '--iam', '--json');
    expect(j.json.error).toMatchObject({ code: 'USERS_IAM_USE_IAM_GRANT' });
    expect(j.json.error.hint).toBe('rdsctl iam grant shop --db-user app_rw --role APP-ROLE --privileges readonly --database SCHEMA');
    expect(existsSync(HOME)).toBe(false);
  });

  it('an unknown role is still the role error first', async () => {
    const r = await cli('users', 'create', 'shop', 'app_rw', '--role', 'admin', '--iam', '--json');
    expect(r.json.error.code).toBe('UNKNOWN_USER_ROLE');
  });
});
