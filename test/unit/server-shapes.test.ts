import { describe, expect, it } from 'vitest';
import { outputShape, type Shape } from '../../src/local/server/shapes.js';

const struct = (s: Shape | undefined) => {
  if (s?.kind !== 'structure') throw new Error(`not a structure: ${s?.kind}`);
  return s;
};

describe('operation shapes from the SDK service model', () => {
  it('DescribeDBInstances: DBInstances is a list of <DBInstance>; its lists and timestamps come from the model', () => {
    const out = struct(outputShape('rds', 'DescribeDBInstances'));
    const list = out.members.get('DBInstances')!.shape;
    expect(list).toMatchObject({ kind: 'list', member: { xmlName: 'DBInstance' } });
    const db = struct(list.kind === 'list' ? list.member.shape : undefined);
    expect(db.members.get('ReadReplicaDBInstanceIdentifiers')!.shape).toMatchObject({ kind: 'list', member: { xmlName: 'ReadReplicaDBInstanceIdentifier' } });
    expect(db.members.get('TagList')!.shape).toMatchObject({ kind: 'list', member: { xmlName: 'Tag' } });
    expect(db.members.get('InstanceCreateTime')!.shape).toEqual({ kind: 'timestamp' });
    expect(db.members.get('AllocatedStorage')!.shape).toEqual({ kind: 'scalar' });
  });

  it('DescribeEvents: <Event> members with <EventCategory> lists and a timestamp Date', () => {
    const out = struct(outputShape('rds', 'DescribeEvents'));
    const events = out.members.get('Events')!.shape;
    expect(events).toMatchObject({ kind: 'list', member: { xmlName: 'Event' } });
    const ev = struct(events.kind === 'list' ? events.member.shape : undefined);
    expect(ev.members.get('EventCategories')!.shape).toMatchObject({ kind: 'list', member: { xmlName: 'EventCategory' } });
    expect(ev.members.get('Date')!.shape).toEqual({ kind: 'timestamp' });
  });

  it('an operation without output, and names that are no operation, have no shape', () => {
    expect(outputShape('rds', 'AddTagsToResource')).toBeUndefined();
    expect(outputShape('rds', '__proto__')).toBeUndefined();
    expect(outputShape('rds', 'NoSuchThing')).toBeUndefined();
  });

  it('CloudWatch shapes come from its own model', () => {
    const out = struct(outputShape('monitoring', 'DescribeAlarms'));
    expect(out.members.get('MetricAlarms')!.shape).toMatchObject({ kind: 'list' });
  });
});
