import type { Duplex } from 'node:stream';
import type { Connection, ConnectionOptions } from 'mysql2';
import { closeStatementPacket, executePacket, paramTypes, preparePacket, queryPacket, quitPacket, sameTypes, type Param } from './commands.js';
import type { Column } from './codec.js';
import { askForCachedMetadata } from './negotiate.js';
import { PrepareResponse, Response, type Rows } from './response.js';

/**
 * One server session for the load generator: mysql2 connects (handshake, every auth plugin, TLS and
 * its verification), then this takes the socket over and speaks the command phase itself — prepared
 * statements once per connection, one buffer per COM_STMT_EXECUTE, results framed in place and, for
 * `drain`, counted without decoding. mysql2's per-statement objects (command, packets, column
 * definitions, row parser) cost the generator nearly as much CPU per query as the server spent
 * answering it (docs/BENCHMARKS.md): on a shared host the generator, not the server, was what a load
 * test measured.
 */
export interface WireSession {
  /** Rows of the first result (or its OK, { affectedRows, insertId }, as one element). `params` given → a prepared statement. */
  exec(sql: string, params?: readonly Param[]): Promise<Rows>;
  /** Runs it and reads every row, decoding none; resolves to the number of rows. */
  drain(sql: string, params?: readonly Param[]): Promise<number>;
  close(): Promise<void>;
  /** MARIADB_CLIENT_CACHE_METADATA was negotiated: executes come without unchanged column definitions. */
  readonly cachesMetadata: boolean;
}

const CLIENT_DEPRECATE_EOF = 0x01000000;
const CLIENT_QUERY_ATTRIBUTES = 1 << 27;
const CLIENT_COMPRESS = 0x20;
/** Statements kept prepared per connection; the oldest is closed beyond this (the server caps them globally). */
const MAX_STATEMENTS = 256;

type Internals = Connection & { stream: Duplex; serverCapabilityFlags: number; config: { clientFlags: number } };

export async function openWire(options: ConnectionOptions): Promise<WireSession> {
  const mysql = await import('mysql2');
  const conn = mysql.createConnection(options) as Internals;
  const cachedMetadata = askForCachedMetadata(conn);
  // A connection error event with no listener would end the process; the failing command reports it.
  conn.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
  const negotiated = conn.serverCapabilityFlags & conn.config.clientFlags;
  if (negotiated & CLIENT_COMPRESS) { conn.destroy(); throw new Error('the wire session does not speak the compressed protocol'); }
  return new Wire(conn.stream, (negotiated & CLIENT_DEPRECATE_EOF) !== 0, (negotiated & CLIENT_QUERY_ATTRIBUTES) !== 0, cachedMetadata());
}

interface Pending { response: Response | PrepareResponse; settle(): void; fail(err: Error): void }
interface Statement { id: number; params: number; types?: number[]; columns?: Column[] }

class Wire implements WireSession {
  private partial?: Buffer;
  /** Parts of a payload of 16 MiB or more, which the protocol splits over several packets. */
  private long: Buffer[] = [];
  private current?: Pending;
  private readonly queue: Array<() => void> = [];
  private readonly statements = new Map<string, Statement>();
  private readonly preparing = new Map<string, Promise<Statement>>();
  private lost?: Error;

  constructor(private readonly stream: Duplex, private readonly deprecateEof: boolean, private readonly queryAttributes: boolean, readonly cachesMetadata: boolean) {
    stream.removeAllListeners('data');
    stream.on('data', (d: Buffer) => {
      // A packet this code cannot read ends the session, not the process (a throw here would be uncaught).
      try { this.onData(d); } catch (err) { this.die(Object.assign(new Error(`unreadable reply from the server: ${(err as Error).message}`), { fatal: true, code: 'PROTOCOL_ERROR' })); this.stream.destroy(); }
    });
    const lost = (err?: Error) => this.die(Object.assign(new Error(`the connection to the server was lost${err ? `: ${err.message}` : ''}`), { fatal: true, code: 'PROTOCOL_CONNECTION_LOST' }));
    stream.on('error', lost);
    stream.on('close', () => lost());
  }

  exec(sql: string, params?: readonly Param[]): Promise<Rows> {
    return this.statement(sql, params, 'rows', (r) => r.rows ?? [r.ok!]);
  }

  drain(sql: string, params?: readonly Param[]): Promise<number> {
    return this.statement(sql, params, 'count', (r) => r.count);
  }

  close(): Promise<void> {
    if (this.lost) { this.stream.destroy(); return Promise.resolve(); } // already closed, or a protocol error left it open
    this.die(Object.assign(new Error('the session is closed'), { fatal: true, code: 'SESSION_CLOSED' }));
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.stream.destroy(); resolve(); }, 2000);
      this.stream.once('close', () => { clearTimeout(timer); resolve(); });
      this.stream.end(quitPacket());
    });
  }

  private statement<T>(sql: string, params: readonly Param[] | undefined, mode: 'rows' | 'count', result: (r: Response) => T): Promise<T> {
    if (!params) return this.send(queryPacket(sql, this.queryAttributes), new Response(mode, false, this.deprecateEof, this.cachesMetadata), result);
    const stmt = this.statements.get(sql);
    const execute = (s: Statement) => {
      // Checked before anything is sent: a wrong count or an unsendable value fails this call only.
      if (s.params !== params.length) return Promise.reject(new TypeError(`the statement takes ${s.params} parameter(s), ${params.length} given: ${sql}`));
      let packet: Buffer, types: number[];
      try {
        types = paramTypes(params);
        packet = executePacket(s.id, params, types, !sameTypes(s.types, types), this.queryAttributes);
      } catch (err) { return Promise.reject(err as Error); }
      // The server holds the types once an execute succeeds with them; after a failure they are sent again.
      s.types = undefined;
      return this.send(packet, new Response(mode, true, this.deprecateEof, this.cachesMetadata, this.cachesMetadata ? s : undefined), (r) => { s.types = types; return result(r); });
    };
    return stmt ? execute(stmt) : this.prepare(sql).then(execute);
  }

  /** Callers that do not wait share one COM_STMT_PREPARE per text (a second one would leak a statement on the server). */
  private prepare(sql: string): Promise<Statement> {
    let p = this.preparing.get(sql);
    if (!p) {
      p = this.prepareOnce(sql).finally(() => this.preparing.delete(sql));
      this.preparing.set(sql, p);
    }
    return p;
  }

  private async prepareOnce(sql: string): Promise<Statement> {
    const r = await this.send(preparePacket(sql), new PrepareResponse(this.deprecateEof, this.cachesMetadata), (p) => p);
    if (this.statements.size >= MAX_STATEMENTS) {
      const [oldest, s] = this.statements.entries().next().value as [string, Statement];
      this.statements.delete(oldest);
      this.stream.write(closeStatementPacket(s.id)); // no response to wait for
    }
    const stmt: Statement = { id: r.id, params: r.params, columns: r.columns };
    this.statements.set(sql, stmt);
    return stmt;
  }

  /** Commands go one at a time, as the protocol wants; a caller that does not wait is queued. */
  private send<R extends Response | PrepareResponse, T>(packet: Buffer, response: R, result: (r: R) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const go = () => {
        if (this.lost) return reject(this.lost);
        this.current = { response, fail: reject, settle: () => (response.error ? reject(response.error) : resolve(result(response))) };
        this.stream.write(packet);
      };
      if (this.current || this.queue.length) this.queue.push(go);
      else go();
    });
  }

  private onData(d: Buffer): void {
    const b = this.partial ? Buffer.concat([this.partial, d]) : d;
    this.partial = undefined;
    let off = 0;
    while (b.length - off >= 4) {
      const len = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16);
      const start = off + 4;
      if (b.length - start < len) break;
      off = start + len;
      if (len === 0xffffff || this.long.length) {
        this.long.push(Buffer.from(b.subarray(start, off)));
        if (len === 0xffffff) continue;
        const whole = Buffer.concat(this.long);
        this.long = [];
        this.deliver(whole, 0, whole.length, b[start - 1]);
      } else this.deliver(b, start, len, b[start - 1]);
    }
    if (off < b.length) this.partial = b.subarray(off);
  }

  private deliver(b: Buffer, start: number, len: number, seq: number): void {
    const c = this.current;
    if (!c) {
      this.die(Object.assign(new Error('the server sent a packet no command asked for'), { fatal: true, code: 'PROTOCOL_OUT_OF_ORDER' }));
      this.stream.destroy();
      return;
    }
    if (c.response.packet(b, start, len)) {
      this.current = undefined;
      c.settle();
      this.queue.shift()?.();
    } else if (c.response instanceof Response && c.response.infileRequested) {
      // Send no file (an empty packet) so the protocol stays in step, and fail the statement: a load
      // that silently loaded nothing would report a success that did not happen.
      c.response.infileRequested = false;
      this.stream.write(Buffer.from([0, 0, 0, (seq + 1) & 0xff]));
      const settle = c.settle;
      c.settle = () => (c.response.error ? settle() : c.fail(Object.assign(new Error('LOAD DATA LOCAL INFILE is not supported by the load generator: load the file with the mariadb client'), { code: 'LOCAL_INFILE_UNSUPPORTED' })));
    }
  }

  private die(err: Error): void {
    if (this.lost) return;
    this.lost = err;
    const c = this.current;
    this.current = undefined;
    c?.fail(err);
    for (const go of this.queue.splice(0)) go();
  }
}
