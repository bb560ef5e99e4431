/**
 * Transactions out of `mariadb-binlog --base64-output=decode-rows --verbose` text (MariaDB 10.11), pure and
 * streaming: push() text chunks as they come (a line may be split across chunks), get whole transactions
 * back; nothing but the transaction being read is held (rows are counted, never kept).
 *
 * Event times are read from the event header lines (`#YYMMDD HH:MM:SS server id …`), which mariadb-binlog
 * prints in its own time zone: the source must run it with TZ=UTC (src/services/binlog-source.ts does).
 * A transaction's commit time is the second of the event that ends it (Xid, a COMMIT query, or the DDL
 * statement itself), which MariaDB writes at commit together with the GTID event.
 */

export type RowKind = 'insert' | 'update' | 'delete';

export interface TableRows {
  /** `schema.table`, unquoted. */
  table: string;
  insert: number;
  update: number;
  delete: number;
}

export interface BinlogTransaction {
  /** `domain-server-seq`. */
  gtid: string;
  /** Commit time, whole seconds since the epoch (UTC). */
  commitTime: number;
  /** Row changes per table, in first-touched order. */
  tables: TableRows[];
  /** Statements that are not row events (DDL, or statement-logged DML), whitespace-normalised, shortened,
   *  with the default database they ran in (a DDL's unqualified table names belong to it). */
  statements: Array<{ sql: string; db?: string }>;
  /** The binlog file and the position of the GTID event (`# at N`), when known. */
  file?: string;
  position?: number;
}

/** Longest statement text kept per transaction (a CREATE TABLE … SELECT or a huge ALTER stays bounded). */
const STATEMENT_CAP = 500;

const HEADER = /^#(\d\d)(\d\d)(\d\d) +(\d{1,2}):(\d\d):(\d\d) server id \d+ +end_log_pos \d+ (?:CRC32 0x[0-9a-f]+ )?\s*(.*)$/;
const ROW_LINE = /^### (INSERT INTO|UPDATE|DELETE FROM) (.+)$/;
const ROW_KIND: Record<string, RowKind> = { 'INSERT INTO': 'insert', UPDATE: 'update', 'DELETE FROM': 'delete' };
/** Session preamble mariadb-binlog prints before a Query event's statement (one line each, ends with the delimiter). */
const PREAMBLE = /^(SET |use `|\/\*!\\C |\/\*M?!\d+ SET )/;
const DELIMITER = '/*!*/;';

interface Open {
  tx: BinlogTransaction;
  /** `trans`: ends at Xid or COMMIT; otherwise the first statement ends it. */
  transactional: boolean;
}

export class BinlogTransactionReader {
  private rest = '';
  private open?: Open;
  private file?: string;
  private at?: number;
  /** Current default database (`use \`db\``), for statements that name tables without one. */
  private db?: string;
  /** Set while reading a Query event's lines: the header time and the statement so far. */
  private query?: { time: number; text: string[]; started: boolean };
  private out: BinlogTransaction[] = [];

  /** `file`: the binlog the text starts in (a remote read prints no Rotate event for the first file). */
  constructor(opts: { file?: string } = {}) {
    this.file = opts.file;
  }

  /** Feeds a chunk of text; returns the transactions completed by it. */
  push(chunk: string): BinlogTransaction[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
    return this.take();
  }

  /** End of input: a transaction still open (the binlog ends mid-transaction) is not complete and is dropped. */
  end(): BinlogTransaction[] {
    if (this.rest) this.line(this.rest);
    this.rest = '';
    this.open = undefined;
    return this.take();
  }

  private take(): BinlogTransaction[] {
    const done = this.out;
    this.out = [];
    return done;
  }

  private line(line: string): void {
    if (this.query) {
      if (this.queryLine(line)) return;
    }
    if (line.startsWith('# at ')) {
      this.at = Number(line.slice(5));
      return;
    }
    const h = HEADER.exec(line);
    if (h) return this.header(eventTime(h), h[7]!);
    const row = ROW_LINE.exec(line);
    if (row && this.open) countRow(this.open.tx, ROW_KIND[row[1]!]!, unquoteTable(row[2]!, this.db));
  }

  private header(time: number, event: string): void {
    const gtid = /^GTID (\d+-\d+-\d+)(.*)$/.exec(event);
    if (gtid) {
      this.open = { tx: { gtid: gtid[1]!, commitTime: time, tables: [], statements: [], file: this.file, position: this.at }, transactional: /\btrans\b/.test(gtid[2]!) };
      return;
    }
    const rotate = /^Rotate to (\S+)/.exec(event);
    if (rotate) this.file = rotate[1];
    else if (/^Xid = /.test(event)) this.close(time);
    else if (/^Query\b/.test(event)) this.query = { time, text: [], started: false };
  }

  /** One line inside a Query event; false when the event is over and the line is an ordinary one. */
  private queryLine(line: string): boolean {
    const q = this.query!;
    if (!q.started && line.startsWith('#')) {
      this.query = undefined; // a Query event whose text we never saw: the line belongs to what follows
      return false;
    }
    if (!q.started && PREAMBLE.test(line)) {
      const use = /^use `((?:[^`]|``)*)`/.exec(line);
      if (use) this.db = use[1]!.replace(/``/g, '`');
      return true;
    }
    q.started = true;
    const ends = line.endsWith(DELIMITER);
    const part = ends ? line.slice(0, -DELIMITER.length) : line;
    if (part) q.text.push(part);
    if (ends) {
      this.query = undefined;
      this.statement(q.time, q.text.join('\n').replace(/\s+/g, ' ').trim());
    }
    return true;
  }

  private statement(time: number, sql: string): void {
    const open = this.open;
    if (!open) return;
    const head = sql.toUpperCase();
    if (head === 'BEGIN' || head === 'START TRANSACTION') return;
    if (head === 'COMMIT' || head.startsWith('XA PREPARE') || head.startsWith('XA COMMIT')) return this.close(time);
    if (head === 'ROLLBACK') {
      this.open = undefined; // rolled back (non-transactional writes were already applied, but nothing commits)
      return;
    }
    if (open.tx.statements.length < 20) open.tx.statements.push({ sql: redactSecrets(sql).slice(0, STATEMENT_CAP), ...(this.db ? { db: this.db } : {}) });
    if (!open.transactional) this.close(time);
  }

  private close(time: number): void {
    if (!this.open) return;
    this.open.tx.commitTime = time;
    this.out.push(this.open.tx);
    this.open = undefined;
  }
}

/**
 * Account statements carry passwords or their hashes (CREATE USER … IDENTIFIED BY PASSWORD '*…', SET
 * PASSWORD, GRANT … IDENTIFIED BY): every string literal after the first IDENTIFIED / PASSWORD keyword
 * becomes '***', so no secret leaves the reader (previews, --json, logs).
 */
export function redactSecrets(sql: string): string {
  // SET PASSWORD FOR 'user'@'host' = …: the secret is after the '=' (the account name stays readable).
  const m = /^\s*SET\s+PASSWORD\b[^=]*=/i.exec(sql) ?? /\b(IDENTIFIED|PASSWORD)\b/i.exec(sql);
  if (!m) return sql;
  const from = m.index + (m[0].endsWith('=') ? m[0].length : 0);
  const tail = sql.slice(from).replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"/g, "'***'");
  return sql.slice(0, from) + tail;
}

/** The time of the first event header in `text` (a file's start: its Format_description event), UTC seconds. */
export function firstEventTime(text: string): number | undefined {
  for (const line of text.split('\n')) {
    const h = HEADER.exec(line);
    if (h) return eventTime(h);
  }
  return undefined;
}

/** Header time as UTC epoch seconds (the source runs mariadb-binlog with TZ=UTC). */
function eventTime(h: RegExpExecArray): number {
  const [yy, mo, dd, hh, mi, ss] = h.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss) / 1000;
}

function countRow(tx: BinlogTransaction, kind: RowKind, table: string): void {
  let t = tx.tables.find((x) => x.table === table);
  if (!t) tx.tables.push((t = { table, insert: 0, update: 0, delete: 0 }));
  t[kind]++;
}

/** `` `shop`.`orders` `` → `shop.orders` (a name without a schema takes the current database). */
export function unquoteTable(name: string, db?: string): string {
  const parts: string[] = [];
  const re = /`((?:[^`]|``)*)`|([^.`\s]+)/g;
  for (let m = re.exec(name); m; m = re.exec(name)) parts.push(m[1] !== undefined ? m[1].replace(/``/g, '`') : m[2]!);
  if (parts.length === 1 && db) parts.unshift(db);
  return parts.join('.');
}
