/**
 * Line-at-a-time slow-log parser for the MySQL 8 and MariaDB 10.x formats, pure (no I/O).
 *
 * Entry boundaries follow pt-query-digest's SlowLogParser (a record ends where a line ending in `;`
 * is followed by a line starting with `#`), so multi-line statements and the classes we build match
 * pt's. Where pt goes wrong we deliberately do better, and say so in fixtures/slowlogs/README.md:
 * MariaDB's `mariadbd, Version: …` restart banner is recognised (pt only knows `…mysqld, Version`),
 * and an entry whose statement never got its `;` (a truncated write) is counted as malformed instead
 * of swallowing the next entry.
 */

export interface SlowLogEntry {
  /** The statement as logged (latin1 byte string), without the trailing `;`. */
  sql: string;
  db?: string;
  threadId?: string;
  queryTime?: number;
  lockTime?: number;
  rowsSent?: number;
  rowsExamined?: number;
  /** `# Time:` value or `SET timestamp=` epoch seconds, as logged. */
  time?: string;
  user?: string;
  host?: string;
}

export interface SlowLogCounters {
  entries: number;
  malformed: number;
  /** Lines that prove this is a slow log: `# Time:`, `# User@Host:`, `# Query_time:`, banners. */
  headerLines: number;
  lines: number;
}

const BANNER_VERSION = /^(?=[/A-Za-z]).*(?:mysqld|mariadbd)(?:\.exe)?, Version.*(?:started with:|embedded library)/;
const BANNER_PORT = /^T[cC][pP] [pP]ort: +\d+/;
const BANNER_COLUMNS = /^Time\s+Id\s+Command/;
const USER_HOST = /^# User@Host: ([^[]+|\[[^[]+\]).*?@ (\S*) \[(.*?)\]\s*(?:Id:\s*(\d+))?/;
const SET_TS = /^SET timestamp=(\d+)/;

/** A server restart banner line; pt drops these wherever they appear. */
export const isBannerLine = (line: string): boolean =>
  (line.charCodeAt(0) === 0x54 /* T */ && (BANNER_PORT.test(line) || BANNER_COLUMNS.test(line))) ||
  (line.includes(', Version') && BANNER_VERSION.test(line));

export class SlowLogParser {
  readonly counters: SlowLogCounters = { entries: 0, malformed: 0, headerLines: 0, lines: 0 };
  private cur: SlowLogEntry | null = null;
  private argLines: string[] = [];
  private useDb: string | undefined;
  private prevEndsSemicolon = false;
  private readonly dbByThread = new Map<string, string>();
  private lastDb: string | undefined;

  /** True while every line seen so far was empty (an empty file is a valid, empty log). */
  isBlank = true;

  constructor(private readonly emit: (e: SlowLogEntry) => void) {}

  push(raw: string): void {
    this.counters.lines++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.isBlank && line.trim() !== '') this.isBlank = false;
    if (line.charCodeAt(0) === 0x23 /* # */) {
      this.hashLine(line);
    } else if (isBannerLine(line)) {
      this.counters.headerLines++;
      return; // prevEndsSemicolon is kept: pt removes the line, then looks for `;\n#` again
    } else if (this.argLines.length > 0) {
      this.argLines.push(line);
    } else {
      this.headerOrArg(line);
    }
    this.prevEndsSemicolon = line.endsWith(';');
  }

  end(): void {
    this.finish();
  }

  private hashLine(line: string): void {
    const isTime = line.startsWith('# Time:');
    const startsEntry = isTime || line.startsWith('# User@Host:');
    if (this.argLines.length > 0) {
      if (!this.prevEndsSemicolon && !startsEntry) return void this.argLines.push(line);
      this.finish();
    }
    if (line.startsWith('# administrator command:')) return void this.argLines.push(line.slice(2));
    if (startsEntry && this.cur && (isTime || this.cur.user !== undefined || this.cur.queryTime !== undefined)) {
      this.finish(); // a header block that never got its statement: truncated entry
    }
    this.headerLine(line);
  }

  private headerOrArg(line: string): void {
    if (line.startsWith('use ')) {
      if (this.useDb === undefined) this.useDb = unquoteDb(line.slice(4));
      return;
    }
    if (line.startsWith('SET timestamp=') || line.startsWith('SET insert_id') || line.startsWith('SET last_insert_id')) {
      const m = SET_TS.exec(line);
      if (m && this.cur && this.cur.time === undefined) this.cur.time = m[1];
      return;
    }
    if (!this.cur) this.cur = {} as SlowLogEntry; // statement with no header at all: counted as malformed
    this.argLines.push(line);
  }

  private headerLine(line: string): void {
    const e = (this.cur ??= {} as SlowLogEntry);
    if (line.startsWith('# Time:')) {
      this.counters.headerLines++;
      if (e.time === undefined) e.time = line.slice(7).trim();
    } else if (line.startsWith('# User@Host:')) {
      this.counters.headerLines++;
      const m = USER_HOST.exec(line);
      if (m) {
        e.user = m[1].trim();
        e.host = m[2] || m[3];
        if (m[4]) e.threadId = m[4];
      }
    } else if (line.startsWith('# Query_time:')) {
      this.counters.headerLines++;
      readPairs(line, e);
      if (e.queryTime === undefined || Number.isNaN(e.queryTime)) e.queryTime = NaN;
    } else if (line.startsWith('# Thread_id:')) {
      readPairs(line, e);
    }
  }

  /** Close the current record: emit it, or count it as malformed. */
  private finish(): void {
    const e = this.cur;
    const lines = this.argLines;
    this.cur = null;
    this.argLines = [];
    const db = this.useDb;
    this.useDb = undefined;
    if (!e && lines.length === 0) return;
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    const last = lines.length ? lines[lines.length - 1] : '';
    const terminated = last.endsWith(';') || last.startsWith('administrator command:');
    const valid = e && lines.length > 0 && terminated && e.queryTime !== undefined && !Number.isNaN(e.queryTime);
    if (!valid) {
      this.counters.malformed++;
      return;
    }
    if (last.endsWith(';')) lines[lines.length - 1] = last.slice(0, -1);
    e.sql = lines.length === 1 ? lines[0] : lines.join('\n');
    e.db = this.carryDb(e, db);
    this.counters.entries++;
    this.emit(e);
  }

  /** `use db;` / `Schema:` carried forward per connection (thread id), else from the last entry. */
  private carryDb(e: SlowLogEntry, useDb: string | undefined): string | undefined {
    const db = useDb ?? e.db ?? (e.threadId !== undefined ? this.dbByThread.get(e.threadId) : this.lastDb);
    if (db !== undefined) {
      if (e.threadId !== undefined) this.dbByThread.set(e.threadId, db);
      this.lastDb = db;
    }
    return db;
  }
}

function unquoteDb(s: string): string {
  const t = s.endsWith(';') ? s.slice(0, -1) : s;
  return t.startsWith('`') && t.endsWith('`') ? t.slice(1, -1).replace(/``/g, '`') : t;
}

/** `# Key: value  Key2: value2 …` → the fields we use (hand-scanned: this runs once per entry). */
function readPairs(line: string, e: SlowLogEntry): void {
  let i = 2;
  const n = line.length;
  while (i < n) {
    const colon = line.indexOf(': ', i);
    if (colon < 0) return;
    let k = colon;
    while (k > i && line.charCodeAt(k - 1) !== 0x20) k--;
    let v = colon + 2;
    while (v < n && line.charCodeAt(v) === 0x20) v++;
    let end = v;
    while (end < n && line.charCodeAt(end) !== 0x20 && line.charCodeAt(end) !== 0x09) end++;
    const value = line.slice(v, end);
    // An empty value (MariaDB `Schema:   QC_hit: No`) makes the next key look like the value.
    if (value.endsWith(':')) {
      i = v;
      continue;
    }
    setField(e, line.slice(k, colon), value);
    i = end;
  }
}

function setField(e: SlowLogEntry, key: string, v: string): void {
  switch (key) {
    case 'Query_time': e.queryTime = Number(v); break;
    case 'Lock_time': e.lockTime = Number(v); break;
    case 'Rows_sent': e.rowsSent = Number(v); break;
    case 'Rows_examined': e.rowsExamined = Number(v); break;
    case 'Thread_id': e.threadId = v; break;
    case 'Schema': e.db = v; break;
  }
}
