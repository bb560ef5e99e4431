import { describe, expect, it } from 'vitest';
import { useMotoCli } from '../helpers/moto.js';

// rdsctl audit-log --target aws against moto_server, an independent implementation of the option-group API
// (metadata only: no server runs, so no log is written). It checks the calls fit together: the group is
// created, holds MARIADB_AUDIT_PLUGIN with our events, the instance moves to it; disable removes the option.
const moto = useMotoCli('Moto-audit-Passw0rd', 'AKIDMOTOTEST00000012');
const rdsctl = moto.rdsctl;

describe('rdsctl audit-log --target aws against moto_server', () => {
  it('enable moves the instance to <id>-audit holding the option; again reuses the group; disable removes it', async () => {
    const p = await rdsctl('provision', 'shop', '--engine', 'mysql', '--class', 'db.t4g.small', '--storage', '20');
    expect(p.code, p.stderr).toBe(0);
    const on = await rdsctl('audit-log', 'enable', 'shop', '--events', 'CONNECT,QUERY_DDL');
    expect(on.code, on.stderr).toBe(0);
    expect(on.doc.data.plan).toMatchObject({ optionGroup: 'shop-audit', createsGroup: true, movesInstance: true });
    expect(on.doc.data.OptionGroupMemberships).toEqual([{ OptionGroupName: 'shop-audit', Status: 'in-sync' }]);
    const again = await rdsctl('audit-log', 'enable', 'shop', '--dry-run');
    expect(again.doc.data.plan).toMatchObject({ optionGroup: 'shop-audit', createsGroup: false, movesInstance: false });
    const off = await rdsctl('audit-log', 'disable', 'shop');
    expect(off.code, off.stderr).toBe(0);
    expect(off.doc.data).toMatchObject({ changed: true, optionGroup: 'shop-audit' });
    const twice = await rdsctl('audit-log', 'disable', 'shop');
    expect(twice.doc.data).toMatchObject({ changed: false });
  });
});
