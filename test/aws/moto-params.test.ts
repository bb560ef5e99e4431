import { describe, expect, it } from 'vitest';
import { useMotoCli } from '../helpers/moto.js';

// `rdsctl params` on the aws target against moto_server's parameter groups. moto lists only the values a
// user set (no engine catalogue), so `set` there cannot plan against the full list as on RDS: this file
// checks create, the group list, a named group's list and the not-found error through the real CLI.
const moto = useMotoCli('Moto-params-Passw0rd', 'AKIDMOTOTEST00000003');
const rdsctl = moto.rdsctl;

describe('rdsctl params --target aws against moto_server', () => {
  it('creates a group, lists it, and maps a missing group to exit 4', async () => {
    const created = await rdsctl('params', 'create', 'peak', '--family', 'mysql8.0', '--description', 'peak load');
    expect(created.code, created.stderr).toBe(0);
    expect(created.doc.data.DBParameterGroup).toMatchObject({ DBParameterGroupName: 'peak', DBParameterGroupFamily: 'mysql8.0', Description: 'peak load' });
    const groups = await rdsctl('params');
    expect(groups.doc.data.DBParameterGroups.map((g: { DBParameterGroupName: string }) => g.DBParameterGroupName)).toContain('peak');
    const list = await rdsctl('params', 'peak', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(Array.isArray(list.doc.data.Parameters)).toBe(true);
    const again = await rdsctl('params', 'create', 'peak', '--family', 'mysql8.0');
    expect(again.code).toBe(5);
    expect(again.doc.error.code).toBe('PARAMETER_GROUP_EXISTS');
    const missing = await rdsctl('params', 'nope', 'list');
    expect(missing.code).toBe(4);
    expect(missing.doc.error.code).toBe('PARAMETER_GROUP_NOT_FOUND');
  });
});
