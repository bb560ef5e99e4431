import fs from 'node:fs';
import { homeLayout } from './home.js';

/** RDS's SourceType values (DescribeEvents); the local endpoint records db-instance events so far. */
export const SOURCE_TYPES = [
  'db-instance', 'db-parameter-group', 'db-security-group', 'db-snapshot', 'db-cluster', 'db-cluster-snapshot',
  'custom-engine-version', 'db-proxy', 'blue-green-deployment',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** One RDS-style event (DescribeEvents shape). */
export interface EventRecord {
  Date: string;
  SourceIdentifier: string;
  SourceType: SourceType;
  Message: string;
  EventCategories: string[];
  SourceArn?: string;
}

/** Append-only JSON lines; a torn last line after a crash is skipped when reading. */
export class EventLog {
  private readonly file: string;
  constructor(home: string) {
    this.file = homeLayout(home).eventsFile;
  }

  /** SourceType defaults to db-instance (every event so far); snapshots, backups … pass theirs. */
  append(ev: Omit<EventRecord, 'Date' | 'SourceType'> & { Date?: string; SourceType?: SourceType }): EventRecord {
    const { Date: date, SourceType: type, ...rest } = ev;
    const full: EventRecord = { Date: date ?? new Date().toISOString(), SourceType: type ?? 'db-instance', ...rest };
    fs.appendFileSync(this.file, `${JSON.stringify(full)}\n`, { mode: 0o600 });
    return full;
  }

  read(): EventRecord[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: EventRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as EventRecord);
      } catch {
        // torn write from a crash: skip
      }
    }
    return out;
  }
}
