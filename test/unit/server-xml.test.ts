import { describe, expect, it } from 'vitest';
import { errorXml, successXml } from '../../src/local/server/xml.js';
import { classify } from '../../src/local/server/protocol.js';

describe('Query XML responses', () => {
  it('wraps the result, escapes values and renders lists with member names', () => {
    const xml = successXml('rds', 'DescribeDBInstances', {
      DBInstances: { DBInstance: [{ DBInstanceIdentifier: 'a<&>"b', MultiAZ: false, InstanceCreateTime: new Date(0), TagList: { Tag: [] }, Gone: undefined }] },
    }, 'req-1');
    expect(xml).toContain('<DescribeDBInstancesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBInstancesResult>');
    expect(xml).toContain('<DBInstances><DBInstance><DBInstanceIdentifier>a&lt;&amp;&gt;&quot;b</DBInstanceIdentifier>');
    expect(xml).toContain('<MultiAZ>false</MultiAZ><InstanceCreateTime>1970-01-01T00:00:00.000Z</InstanceCreateTime>');
    expect(xml).not.toContain('Gone');
    expect(xml).toContain('<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeDBInstancesResponse>');
  });

  it('renders errors the Query way', () => {
    const xml = errorXml('rds', { code: 'DBInstanceNotFound', message: 'DBInstance <x> not found.', type: 'Sender' }, 'r2');
    expect(xml).toContain('<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>DBInstanceNotFound</Code><Message>DBInstance &lt;x&gt; not found.</Message></Error><RequestId>r2</RequestId></ErrorResponse>');
  });
});

describe('classify', () => {
  const table: [string, string | undefined, string, string, unknown][] = [
    ['application/x-www-form-urlencoded; charset=utf-8', undefined, 'Action=DescribeDBInstances&Version=2014-10-31', 'rds', { service: 'rds', action: 'DescribeDBInstances', protocol: 'query' }],
    ['application/x-www-form-urlencoded', undefined, 'Action=GetUser&Version=2010-05-08', 'iam', { service: 'iam', action: 'GetUser' }],
    ['application/x-www-form-urlencoded', undefined, 'Action=GetMetricData&Version=2010-08-01', 'monitoring', { service: 'monitoring', protocol: 'query' }],
    ['application/x-amz-json-1.0', 'GraniteServiceVersion20100801.GetMetricData', '{"A":1}', 'monitoring', { service: 'monitoring', protocol: 'json', action: 'GetMetricData', json: { A: 1 } }],
    ['application/x-amz-json-1.0', 'Nope.X', '{}', 'monitoring', { problem: 'Unknown x-amz-target "Nope.X".' }],
    ['application/x-www-form-urlencoded', undefined, 'Version=2014-10-31', 'rds', { problem: 'Missing Action parameter.' }],
  ];
  it.each(table)('%s %s %s', (ct, target, body, scope, expected) => {
    expect(classify(ct, target, body, scope)).toMatchObject(expected as object);
  });
});
