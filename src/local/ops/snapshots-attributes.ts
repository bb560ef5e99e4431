import type { DescribeDBSnapshotAttributesResult } from '@aws-sdk/client-rds';
import type { OpHandler } from '../server/types.js';
import type { OpsContext } from './context.js';
import { required } from './params.js';
import { snapshotId } from './snapshots.js';
import { snapshotNotFound, snapshotStore } from './snapshots-store.js';

/**
 * DescribeDBSnapshotAttributes: the `restore` attribute lists the accounts a manual snapshot is shared
 * with (`all` = public). The local endpoint has no ModifyDBSnapshotAttribute, so no local snapshot is
 * ever shared: the list is empty, as RDS answers for a private snapshot.
 */
export function describeDBSnapshotAttributes(ctx: OpsContext): OpHandler<{ DBSnapshotAttributesResult: DescribeDBSnapshotAttributesResult['DBSnapshotAttributesResult'] }> {
  return async (req) => {
    const param = required(req.flat, 'DBSnapshotIdentifier');
    const sid = snapshotId(param);
    if (!snapshotStore(ctx.home).list().some((s) => s.id === sid)) throw snapshotNotFound(param);
    return { DBSnapshotAttributesResult: { DBSnapshotIdentifier: sid, DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [] }] } };
  };
}
