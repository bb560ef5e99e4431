import { CLK_TCK, type RawSample } from './metrics-sources.js';

/** What the sampler knows about the instance besides the two raw samples. */
export interface InstanceFacts {
  vcpu: number;
  memoryBytes: number;
  allocatedBytes: number;
  /** Bytes used (the storage checker's last measure), if known. */
  usedBytes?: number;
  /** Seconds behind the source, for a replica whose lag the replication code exposes. */
  replicaLagSeconds?: number;
}

export type MetricValues = Record<string, [number, string]>;

const rate = (a: number, b: number, seconds: number) => Math.max(0, b - a) / seconds;

/**
 * AWS/RDS metric values from two consecutive raw samples of the same mariadbd (docs/METRICS.md says
 * what each one measures). Gauges come from `cur`; rates need `prev` (none on the first sample).
 */
export function deriveMetrics(prev: RawSample | undefined, cur: RawSample, facts: InstanceFacts): MetricValues {
  const out: MetricValues = {
    DatabaseConnections: [cur.status.Threads_connected ?? 0, 'Count'],
    FreeableMemory: [Math.max(0, facts.memoryBytes - cur.rssBytes), 'Bytes'],
    BinLogDiskUsage: [cur.binlogBytes, 'Bytes'],
  };
  if (facts.usedBytes !== undefined) out.FreeStorageSpace = [Math.max(0, facts.allocatedBytes - facts.usedBytes), 'Bytes'];
  if (facts.replicaLagSeconds !== undefined) out.ReplicaLag = [facts.replicaLagSeconds, 'Seconds'];
  if (!prev || cur.at <= prev.at) return out;
  const s = (cur.at - prev.at) / 1000;
  out.CPUUtilization = [Math.min(100, (100 * Math.max(0, cur.cpuTicks - prev.cpuTicks)) / CLK_TCK / s / facts.vcpu), 'Percent'];
  out.ReadIOPS = [rate(prev.status.Innodb_data_reads ?? 0, cur.status.Innodb_data_reads ?? 0, s), 'Count/Second'];
  out.WriteIOPS = [rate(prev.status.Innodb_data_writes ?? 0, cur.status.Innodb_data_writes ?? 0, s), 'Count/Second'];
  out.ReadThroughput = [rate(prev.readBytes, cur.readBytes, s), 'Bytes/Second'];
  out.WriteThroughput = [rate(prev.writeBytes, cur.writeBytes, s), 'Bytes/Second'];
  out.NetworkReceiveThroughput = [rate(prev.status.Bytes_received ?? 0, cur.status.Bytes_received ?? 0, s), 'Bytes/Second'];
  out.NetworkTransmitThroughput = [rate(prev.status.Bytes_sent ?? 0, cur.status.Bytes_sent ?? 0, s), 'Bytes/Second'];
  if (prev.disk && cur.disk) {
    const reads = cur.disk.reads - prev.disk.reads;
    const writes = cur.disk.writes - prev.disk.writes;
    out.ReadLatency = [reads > 0 ? (cur.disk.readMs - prev.disk.readMs) / reads / 1000 : 0, 'Seconds'];
    out.WriteLatency = [writes > 0 ? (cur.disk.writeMs - prev.disk.writeMs) / writes / 1000 : 0, 'Seconds'];
    out.DiskQueueDepth = [Math.max(0, cur.disk.weightedMs - prev.disk.weightedMs) / (s * 1000), 'Count'];
  }
  return out;
}
