import { usageError } from './errors.js';

export interface InstanceClassSpec {
  name: string;
  vcpu: number;
  memoryGiB: number;
  /** Indicative us-east-1 single-AZ MySQL on-demand $/hour (notes/rds-semantics.md). */
  hourlyUsd?: number;
}

const GiB = 1024 ** 3;

/** The classes rdsctl knows; the local target maps each to real mariadbd settings. */
export const INSTANCE_CLASSES: readonly InstanceClassSpec[] = [
  { name: 'db.t4g.micro', vcpu: 2, memoryGiB: 1, hourlyUsd: 0.016 },
  { name: 'db.t4g.small', vcpu: 2, memoryGiB: 2, hourlyUsd: 0.032 },
  { name: 'db.t4g.medium', vcpu: 2, memoryGiB: 4, hourlyUsd: 0.065 },
  { name: 'db.t4g.large', vcpu: 2, memoryGiB: 8, hourlyUsd: 0.129 },
  { name: 'db.t4g.xlarge', vcpu: 4, memoryGiB: 16 },
  { name: 'db.t3.micro', vcpu: 2, memoryGiB: 1 },
  { name: 'db.t3.small', vcpu: 2, memoryGiB: 2 },
  { name: 'db.t3.medium', vcpu: 2, memoryGiB: 4 },
  { name: 'db.t3.large', vcpu: 2, memoryGiB: 8 },
  { name: 'db.m6g.large', vcpu: 2, memoryGiB: 8, hourlyUsd: 0.152 },
  { name: 'db.m6g.xlarge', vcpu: 4, memoryGiB: 16, hourlyUsd: 0.304 },
  { name: 'db.m6g.2xlarge', vcpu: 8, memoryGiB: 32 },
  { name: 'db.m7g.large', vcpu: 2, memoryGiB: 8 },
  { name: 'db.m7g.xlarge', vcpu: 4, memoryGiB: 16 },
  { name: 'db.r6g.large', vcpu: 2, memoryGiB: 16, hourlyUsd: 0.215 },
  { name: 'db.r6g.xlarge', vcpu: 4, memoryGiB: 32, hourlyUsd: 0.43 },
  { name: 'db.r6g.2xlarge', vcpu: 8, memoryGiB: 64 },
  { name: 'db.r7g.large', vcpu: 2, memoryGiB: 16 },
  { name: 'db.r7g.xlarge', vcpu: 4, memoryGiB: 32 },
];

export function findInstanceClass(name: string): InstanceClassSpec | undefined {
  return INSTANCE_CLASSES.find((c) => c.name === name);
}

export function requireInstanceClass(name: string): InstanceClassSpec {
  const spec = findInstanceClass(name);
  if (!spec) {
    throw usageError('UNKNOWN_INSTANCE_CLASS', `Unknown DB instance class "${name}".`, {
      hint: `Use one of: ${INSTANCE_CLASSES.map((c) => c.name).join(', ')}.`,
    });
  }
  return spec;
}

/**
 * Class names as AWS spells them (db.<family>.<size>). On the aws target any such name is passed on
 * and AWS decides (it knows classes we do not list); the local target needs one of ours.
 */
export function requireClassFor(name: string, target: 'local' | 'aws'): string {
  if (target === 'local') return requireInstanceClass(name).name;
  if (!/^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(name)) {
    throw usageError('UNKNOWN_INSTANCE_CLASS', `"${name}" is not a DB instance class name.`, {
      hint: 'Class names look like db.r6g.large or db.m5.xlarge.',
    });
  }
  return name;
}

/**
 * The local target cannot give every instance its class's real memory on one machine, so it scales
 * the buffer pool down by LOCAL_MEMORY_SCALE while keeping RDS's formulas, so a bigger class is
 * visibly bigger in @@innodb_buffer_pool_size. max_connections uses the class's real memory, as RDS
 * derives it ({DBInstanceClassMemory/12582880}).
 */
export const LOCAL_MEMORY_SCALE = 1 / 32;

export interface LocalClassSettings {
  innodbBufferPoolSize: number;
  maxConnections: number;
}

export function localSettingsFor(spec: InstanceClassSpec): LocalClassSettings {
  const memory = spec.memoryGiB * GiB;
  // RDS: innodb_buffer_pool_size = {DBInstanceClassMemory*3/4}; mariadbd rounds to 8 MiB chunks (128 MiB chunk / 16 instances).
  const chunk = 8 * 1024 * 1024;
  const pool = Math.max(chunk * 3, Math.round((memory * 0.75 * LOCAL_MEMORY_SCALE) / chunk) * chunk);
  return { innodbBufferPoolSize: pool, maxConnections: Math.min(Math.floor(memory / 12582880), 16000) };
}
