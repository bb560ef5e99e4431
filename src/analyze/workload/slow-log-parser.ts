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
    const line = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
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
    this.prevEndsSemicolon = line.charCodeAt(line.length - 1) === 0x3b;
  }

  end(): void {
    this.finish();
  }

  private hashLine(line: string): void {
    const kind = headerKind(line);
    const startsEntry = kind === Kind.Time || kind === Kind.User;
    if (this.argLines.length > 0) {
      if (!this.prevEndsSemicolon && !startsEntry) return void this.argLines.push(line);
      this.finish();
    }
    if (kind === Kind.Admin) return void this.argLines.push(line.slice(2));
    const e = this.cur;
    if (startsEntry && e && (kind === Kind.Time || e.user !== undefined || e.queryTime !== undefined)) {
      this.finish(); // a header block that never got its statement: truncated entry
    }
    if (kind !== Kind.Other) this.headerLine(line, kind, (this.cur ??= newEntry()));
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
    this.cur ??= newEntry(); // statement with no header at all: counted as malformed
    this.argLines.push(line);
  }

  private headerLine(line: string, kind: Kind, e: SlowLogEntry): void {
    if (kind === Kind.Time) {
      this.counters.headerLines++;
      if (e.time === undefined) e.time = line.slice(7).trim();
    } else if (kind === Kind.User) {
      this.counters.headerLines++;
      readUserHost(line, e);
    } else {
      if (kind === Kind.QueryTime) this.counters.headerLines++;
      readPairs(line, e);
      if (kind === Kind.QueryTime && (e.queryTime === undefined || Number.isNaN(e.queryTime))) e.queryTime = NaN;
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
    const t = e.threadId;
    const known = t !== undefined ? this.dbByThread.get(t) : this.lastDb;
    const db = useDb ?? e.db ?? known;
    if (db === undefined) return undefined;
    if (db === known) return known;
    // Copies: a slice of a line would pin its whole 1 MB read chunk for as long as the map holds it.
    const kept = detach(db);
    if (t !== undefined) {
      if (this.dbByThread.size >= MAX_THREADS) this.dbByThread.delete(this.dbByThread.keys().next().value!);
      this.dbByThread.set(detach(t), kept);
    }
    this.lastDb = kept;
    return kept;
  }
}

/** Connections remembered for `use` carry-forward; the oldest is forgotten beyond this (bounded memory). */
const MAX_THREADS = 100_000;
const detach = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');

const enum Kind { Other, Time, User, QueryTime, Thread, Admin }

/** Which header a `#` line is, from its third char first (this runs for every header line). */
function headerKind(line: string): Kind {
  if (line.charCodeAt(1) !== 0x20) return Kind.Other;
  switch (line.charCodeAt(2)) {
    case 0x54 /* T */:
      return line.startsWith('# Time:') ? Kind.Time : line.startsWith('# Thread_id:') ? Kind.Thread : Kind.Other;
    case 0x55 /* U */:
      return line.startsWith('# User@Host:') ? Kind.User : Kind.Other;
    case 0x51 /* Q */:
      return line.startsWith('# Query_time:') ? Kind.QueryTime : Kind.Other;
    case 0x61 /* a */:
      return line.startsWith('# administrator command:') ? Kind.Admin : Kind.Other;
    default:
      return Kind.Other;
  }
}

/** Every field present from the start, so all entries share one object shape. */
const newEntry = (): SlowLogEntry => ({
  sql: '', db: undefined, threadId: undefined, queryTime: undefined, lockTime: undefined, rowsSent: undefined,
  rowsExamined: undefined, time: undefined, user: undefined, host: undefined,
});

/** `# User@Host: user[user] @ host [ip]  Id: 12` (MySQL adds Id:, MariaDB has a Thread_id: line). */
function readUserHost(line: string, e: SlowLogEntry): void {
  const rest = line.slice(13);
  const at = rest.indexOf(' @ ');
  if (at < 0) return;
  const bracket = rest.indexOf('[');
  e.user = (bracket >= 0 && bracket < at ? rest.slice(0, bracket) : rest.slice(0, at)).trim();
  const open = rest.indexOf('[', at);
  const close = open < 0 ? -1 : rest.indexOf(']', open);
  const host = rest.slice(at + 3, open < 0 ? undefined : open).trim();
  e.host = host || (close > open ? rest.slice(open + 1, close) : undefined);
  const id = close < 0 ? -1 : rest.indexOf('Id:', close);
  if (id >= 0) {
    const v = rest.slice(id + 3).trim();
    if (/^\d+$/.test(v)) e.threadId = v;
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
    // An empty value (MariaDB `Schema:   QC_hit: No`) makes the next key look like the value.
    if (line.charCodeAt(end - 1) === 0x3a /* : */) {
      i = v;
      continue;
    }
    setField(e, line, k, colon, v, end);
    i = end;
  }
}

const FIELDS = ['Query_time', 'Lock_time', 'Rows_sent', 'Rows_examined', 'Thread_id', 'Schema'] as const;

function setField(e: SlowLogEntry, line: string, k: number, colon: number, v: number, end: number): void {
  const key = FIELDS.find((f) => f.length === colon - k && line.startsWith(f, k));
  if (key === undefined) return;
  if (key === 'Thread_id') e.threadId = line.slice(v, end);
  else if (key === 'Schema') e.db = line.slice(v, end);
  else {
    const num = parseDecimal(line, v, end);
    if (key === 'Query_time') e.queryTime = num;
    else if (key === 'Lock_time') e.lockTime = num;
    else if (key === 'Rows_sent') e.rowsSent = num;
    else e.rowsExamined = num;
  }
}

/**
 * `123` / `0.000173` without allocating a substring; (digits / 10^k) is one correctly rounded
 * division, so the result is bit-identical to Number(text). Anything else goes through Number().
 */
export function parseDecimal(s: string, from: number, to: number): number {
  let mant = 0;
  let scale = 1;
  let dot = false;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      mant = mant * 10 + (c - 0x30);
      digits++;
      if (dot) scale *= 10;
    } else if (c === 0x2e && !dot) dot = true;
    else return Number(s.slice(from, to));
  }
  return digits > 0 && mant < 2 ** 53 && scale <= 1e22 ? mant / scale : Number(s.slice(from, to));
}
