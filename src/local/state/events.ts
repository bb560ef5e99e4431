import fs from 'node:fs';
import { homeLayout } from './home.js';

/** One RDS-style event (DescribeEvents shape). */
export interface EventRecord {
  Date: string;
  SourceIdentifier: string;
  SourceType: 'db-instance';
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

  append(ev: Omit<EventRecord, 'Date' | 'SourceType'> & { Date?: string }): EventRecord {
    const full: EventRecord = { Date: ev.Date ?? new Date().toISOString(), SourceType: 'db-instance', ...ev } as EventRecord;
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
