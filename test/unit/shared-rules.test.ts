import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatArn, parseArn, rdsArn, rdsArnName } from '../../src/core/arn.js';
import { maxStorageProblem, minStorageIncrease } from '../../src/core/validation.js';
import { planModify } from '../../src/core/plans/modify-plan.js';
import { instanceArn, localRdsArnName } from '../../src/local/ops/arns.js';
import { pidAlive, portInUse } from '../../src/system/processes.js';

describe('ARNs: one helper', () => {
  it('formats and parses ARNs with region and account', () => {
    expect(rdsArn('eu-west-1', '123456789012', 'db', 'shop')).toBe('arn:aws:rds:eu-west-1:123456789012:db:shop');
    expect(formatArn({ service: 'kms', region: 'us-east-1', account: '000000000000', resource: 'key/abc' })).toBe('arn:aws:kms:us-east-1:000000000000:key/abc');
    expect(parseArn('arn:aws:secretsmanager:us-east-1:000000000000:secret:rds!db-X')).toEqual({
      partition: 'aws', service: 'secretsmanager', region: 'us-east-1', account: '000000000000', resource: 'secret:rds!db-X',
    });
    expect(parseArn('shop')).toBeUndefined();
    expect(rdsArnName('arn:aws:rds:eu-west-1:123456789012:db:shop', 'db')).toEqual({ region: 'eu-west-1', account: '123456789012', name: 'shop' });
    expect(rdsArnName('arn:aws:rds:eu-west-1:123456789012:snapshot:s1', 'db')).toBeUndefined();
  });

  it('the local endpoint names its instances in us-east-1, account 000000000000, and reads only its own ARNs', () => {
    expect(instanceArn('shop')).toBe('arn:aws:rds:us-east-1:000000000000:db:shop');
    expect(localRdsArnName('arn:aws:rds:us-east-1:000000000000:db:shop', 'db')).toBe('shop');
    expect(localRdsArnName('arn:aws:rds:eu-west-1:000000000000:db:shop', 'db')).toBeUndefined();
  });
});

describe('the 10% storage-growth rule: one function for the CLI plan, MaxAllocatedStorage and the local endpoint', () => {
  it.each([[20, 22], [100, 110], [101, 112], [1000, 1100], [59578, 65536]])('from %i GiB the smallest increase is %i GiB', (from, min) => {
    expect(minStorageIncrease(from)).toBe(min);
    expect(maxStorageProblem(min, from)).toBeUndefined();
    expect(maxStorageProblem(min - 1, from)).toMatch(/at least 10%/);
  });

  it('the CLI plan refuses less and names the minimum', () => {
    expect(() => planModify({ AllocatedStorage: 100 }, { AllocatedStorage: 109 })).toThrow(/at least 10% \(to ≥ 110 GiB\)/);
    expect(planModify({ AllocatedStorage: 100 }, { AllocatedStorage: 110 })).toHaveLength(1);
  });
});

describe('pid liveness and port probes: one definition', () => {
  it('a live process is alive; a zombie (exited, not reaped) and a reaped one are not', async () => {
    // The shell forks `sleep 0`, prints its pid and becomes `sleep 3`, which never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 3'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
    await new Promise((r) => setTimeout(r, 300));
    expect(pidAlive(parent.pid!)).toBe(true);
    expect(pidAlive(zombie)).toBe(false);
    parent.kill('SIGKILL');
    await new Promise((r) => parent.once('exit', r));
    expect(pidAlive(parent.pid!)).toBe(false);
  });

  it('a listened port is in use, a closed one is not', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    expect(await portInUse(port)).toBe(true);
    await new Promise((r) => srv.close(r));
    expect(await portInUse(port)).toBe(false);
  });
});
