import { binaryRow, parseColumn, Reader, textRow, type Column } from './codec.js';
import { codeOf } from './errors.js';

/**
 * A command's response, fed one packet at a time: OK, ERR, or result sets (column count, column
 * definitions, EOF, rows, EOF/OK), more of them while the server says SERVER_MORE_RESULTS_EXISTS.
 * `count` mode reads every row without decoding it — what sysbench does with a result it only counts.
 * With cached metadata (negotiate.ts) a column count carries a flag byte, and an execute whose
 * statement's columns did not change comes without definitions: they are the statement's, kept
 * from its prepare (or its last execute that sent them).
 */
const MORE_RESULTS = 0x0008;

export type OkResult = { affectedRows: number; insertId: number };
export type Rows = Array<Record<string, unknown>>;

export class ServerError extends Error {
  readonly fatal = false;
  constructor(readonly errno: number, readonly sqlState: string, message: string, readonly code = codeOf(errno)) { super(message); }
}

export function parseError(r: Reader): ServerError {
  r.pos++; // 0xff
  const errno = r.u16();
  let sqlState = 'HY000';
  if (r.b[r.pos] === 0x23) { sqlState = r.b.toString('latin1', r.pos + 1, r.pos + 6); r.pos += 6; }
  return new ServerError(errno, sqlState, r.b.toString('utf8', r.pos, r.end));
}

function parseOk(r: Reader): OkResult & { status: number } {
  r.pos++; // 0x00 (or 0xfe ending a result set when EOF is deprecated)
  const affectedRows = r.lenenc() ?? 0;
  const insertId = r.lenenc() ?? 0;
  return { affectedRows, insertId, status: r.u16() };
}

const isEnd = (first: number, len: number) => first === 0xfe && len < 9;

/** A prepared statement's columns as last sent by the server, when metadata is cached. */
export interface ColumnCache { columns?: Column[] }

export class Response {
  /** The first result: its rows (`rows` mode), or the OK of a statement that returns none. */
  rows?: Rows;
  ok?: OkResult;
  /** Rows read over every result set. */
  count = 0;
  error?: ServerError;
  /** The server asked for a LOCAL INFILE file (0xfb), which a session does not send. */
  infileRequested = false;
  private state: 'first' | 'columns' | 'columnsEof' | 'rows' = 'first';
  /** Which result set is being read: only the first one's rows are decoded. */
  private result = 0;
  private columnsLeft = 0;
  private decoding = false;
  private columns: Column[] = [];
  /** The first result's definitions are kept for the statement's later executes. */
  private keeping = false;

  /** `cache`: the statement's columns, given when metadata is cached (COM_STMT_EXECUTE only). */
  constructor(private readonly mode: 'rows' | 'count', private readonly binary: boolean, private readonly deprecateEof: boolean,
    private readonly metadataFlag = false, private readonly cache?: ColumnCache) {}

  /** One packet's payload b[start, start+len); true once the response is complete. */
  packet(b: Buffer, start: number, len: number): boolean {
    const head = b[start];
    switch (this.state) {
      case 'first': return this.firstPacket(b, start, len, head);
      case 'columns':
        if (this.decoding || this.keeping) this.columns.push(parseColumn(new Reader(b, start, start + len)));
        if (--this.columnsLeft === 0) {
          this.state = this.deprecateEof ? 'rows' : 'columnsEof';
          if (this.keeping) this.cache!.columns = this.columns;
        }
        return false;
      case 'columnsEof': this.state = 'rows'; return false;
      default: break;
    }
    if (head === 0xff) { this.error = parseError(new Reader(b, start, start + len)); return true; }
    if (head === 0xfe && len < 9) return this.ended(this.deprecateEof ? parseOk(new Reader(b, start, start + len)).status : b.readUInt16LE(start + 3));
    this.count++;
    if (this.decoding) {
      const r = new Reader(b, start, start + len);
      this.rows!.push(this.binary ? binaryRow(r, this.columns) : textRow(r, this.columns));
    }
    return false;
  }

  private firstPacket(b: Buffer, start: number, len: number, head: number): boolean {
    if (head === 0xff) { this.error = parseError(new Reader(b, start, start + len)); return true; }
    if (head === 0x00) {
      const ok = parseOk(new Reader(b, start, start + len));
      if (this.result === 0) this.ok = { affectedRows: ok.affectedRows, insertId: ok.insertId };
      return this.ended(ok.status);
    }
    if (head === 0xfb) { this.infileRequested = true; return false; }
    const r = new Reader(b, start, start + len);
    this.columnsLeft = r.lenenc() ?? 0;
    const sent = !this.metadataFlag || r.u8() === 1;
    this.decoding = this.result === 0 && this.mode === 'rows';
    if (this.decoding) this.rows = [];
    this.columns = [];
    this.keeping = sent && this.result === 0 && this.cache !== undefined;
    if (sent) { this.state = 'columns'; return false; }
    // Not sent: the statement's own (only a first result is decoded, so only its columns matter).
    if (this.decoding) {
      if (!this.cache?.columns || this.cache.columns.length !== this.columnsLeft) throw new Error('the server left out column definitions this session does not have');
      this.columns = this.cache.columns;
    }
    this.state = this.deprecateEof ? 'rows' : 'columnsEof';
    return false;
  }

  /** A result set or OK ended: the response too, unless the server says more results follow. */
  private ended(status: number): boolean {
    this.result++;
    this.decoding = this.keeping = false; // later result sets are counted, not decoded
    this.state = 'first';
    return !(status & MORE_RESULTS);
  }
}

/**
 * COM_STMT_PREPARE_OK, then the parameter and column definitions (each list ended by EOF unless
 * deprecated). With cached metadata the column definitions are kept: executes may come without them.
 */
export class PrepareResponse implements ColumnCache {
  id = 0;
  params = 0;
  columns?: Column[];
  error?: ServerError;
  private left = -1;
  /** Packets before the first column definition (parameter definitions and their EOF). */
  private beforeColumns = 0;
  private seen = 0;
  private columnCount = 0;

  constructor(private readonly deprecateEof: boolean, private readonly keepColumns = false) {}

  packet(b: Buffer, start: number, len: number): boolean {
    if (this.left < 0) {
      if (b[start] === 0xff) { this.error = parseError(new Reader(b, start, start + len)); return true; }
      this.id = b.readUInt32LE(start + 1);
      this.columnCount = b.readUInt16LE(start + 5);
      this.params = b.readUInt16LE(start + 7);
      const eof = this.deprecateEof ? 0 : 1;
      this.beforeColumns = this.params + (this.params > 0 ? eof : 0);
      this.left = this.beforeColumns + this.columnCount + (this.columnCount > 0 ? eof : 0);
      if (this.keepColumns) this.columns = [];
    } else {
      const i = this.seen++;
      if (this.columns && i >= this.beforeColumns && i < this.beforeColumns + this.columnCount) this.columns.push(parseColumn(new Reader(b, start, start + len)));
      this.left--;
    }
    return this.left === 0;
  }
}
