import { TYPE } from './codec.js';

/**
 * The command packets a session sends, framed (3-byte length, sequence id 0, payloads of 16 MiB and more
 * split as the protocol says). `queryAttributes` is CLIENT_QUERY_ATTRIBUTES as negotiated (MySQL 8.0.23+
 * servers; MariaDB has none): it adds a parameter count to COM_QUERY and a name to each bound parameter.
 */
const COM = { QUIT: 0x01, QUERY: 0x03, STMT_PREPARE: 0x16, STMT_EXECUTE: 0x17, STMT_CLOSE: 0x19 } as const;
const MAX_PAYLOAD = 0xffffff;

export type Param = number | bigint | string | boolean | Buffer | null | undefined;

function frame(payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let seq = 0;
  for (let off = 0; ; off += MAX_PAYLOAD) {
    const n = Math.min(MAX_PAYLOAD, payload.length - off);
    const h = Buffer.allocUnsafe(4);
    h.writeUIntLE(n, 0, 3);
    h[3] = seq++ & 0xff;
    parts.push(h, payload.subarray(off, off + n));
    // A payload of exactly a multiple of 16 MiB ends with an empty packet.
    if (n < MAX_PAYLOAD) break;
  }
  return parts.length === 2 ? Buffer.concat(parts, 4 + payload.length) : Buffer.concat(parts);
}

function lenencInt(n: number): Buffer {
  if (n < 0xfb) return Buffer.from([n]);
  if (n < 0x10000) { const b = Buffer.allocUnsafe(3); b[0] = 0xfc; b.writeUInt16LE(n, 1); return b; }
  if (n < 0x1000000) { const b = Buffer.allocUnsafe(4); b[0] = 0xfd; b.writeUIntLE(n, 1, 3); return b; }
  const b = Buffer.allocUnsafe(9); b[0] = 0xfe; b.writeBigUInt64LE(BigInt(n), 1); return b;
}

export const quitPacket = () => frame(Buffer.from([COM.QUIT]));
export const preparePacket = (sql: string) => frame(Buffer.concat([Buffer.from([COM.STMT_PREPARE]), Buffer.from(sql, 'utf8')]));
export function closeStatementPacket(id: number): Buffer {
  const p = Buffer.allocUnsafe(5);
  p[0] = COM.STMT_CLOSE;
  p.writeUInt32LE(id, 1);
  return frame(p);
}

export function queryPacket(sql: string, queryAttributes: boolean): Buffer {
  // With query attributes: parameter_count 0, parameter_set_count 1, then the text.
  const head = queryAttributes ? Buffer.from([COM.QUERY, 0, 1]) : Buffer.from([COM.QUERY]);
  return frame(Buffer.concat([head, Buffer.from(sql, 'utf8')]));
}

const lenencSize = (n: number) => (n < 0xfb ? 1 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 9);
function writeLenenc(b: Buffer, at: number, n: number): number {
  if (n < 0xfb) { b[at] = n; return at + 1; }
  const h = lenencInt(n);
  return at + h.copy(b, at);
}

/** A parameter's wire type, with 0x8000 for unsigned (the 0x80 of the type's second byte). */
function typeOf(v: Param): number {
  if (v === null || v === undefined) return TYPE.NULL;
  switch (typeof v) {
    case 'boolean': return TYPE.TINY;
    case 'number': return Number.isSafeInteger(v) ? TYPE.LONGLONG : TYPE.DOUBLE;
    case 'bigint': return v >= 0n ? TYPE.LONGLONG | UNSIGNED : TYPE.LONGLONG;
    case 'string': return TYPE.VAR_STRING;
    default:
      if (Buffer.isBuffer(v)) return TYPE.BLOB;
      throw new TypeError(`a statement parameter must be a number, bigint, string, boolean, Buffer or null, not ${typeof v}`);
  }
}
const UNSIGNED = 0x8000;

/** The parameters' wire types; a statement whose types did not change since its last execute need not send them. */
export const paramTypes = (params: readonly Param[]): number[] => params.map(typeOf);
export const sameTypes = (a: readonly number[] | undefined, b: readonly number[]) => a !== undefined && a.length === b.length && a.every((t, i) => t === b[i]);

function writeValue(b: Buffer, at: number, v: Param, type: number, bytes: Buffer | undefined): number {
  switch (type & 0xff) {
    case TYPE.NULL: return at;
    case TYPE.TINY: b[at] = v ? 1 : 0; return at + 1;
    case TYPE.DOUBLE: b.writeDoubleLE(v as number, at); return at + 8;
    case TYPE.LONGLONG:
      if (typeof v === 'bigint') { if (v < 0n) b.writeBigInt64LE(v, at); else b.writeBigUInt64LE(v, at); return at + 8; }
      b.writeUInt32LE((v as number) >>> 0, at); // the low word, two's complement for negatives too
      b.writeInt32LE(Math.floor((v as number) / 2 ** 32), at + 4);
      return at + 8;
    default: at = writeLenenc(b, at, bytes!.length); return at + bytes!.copy(b, at);
  }
}

const valueSize = (type: number, bytes: Buffer | undefined) => {
  const t = type & 0xff;
  return t === TYPE.NULL ? 0 : t === TYPE.TINY ? 1 : t === TYPE.DOUBLE || t === TYPE.LONGLONG ? 8 : lenencSize(bytes!.length) + bytes!.length;
};

/**
 * COM_STMT_EXECUTE: no cursor, one iteration. The parameters' types (`paramTypes`) go with the first
 * execute and whenever they change (new-params-bound = 1), else the server reuses the ones it has — as
 * libmariadb does; mysql2 sends them every time. With query attributes the parameter count is sent too
 * (PARAMETER_COUNT_AVAILABLE) and each type is followed by an empty name, as mysql2 does. Written in one
 * pass into one buffer: the load generator sends one per statement.
 */
export function executePacket(id: number, params: readonly Param[], types: readonly number[], sendTypes: boolean, queryAttributes: boolean): Buffer {
  const n = params.length;
  const bytes = params.map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.isBuffer(v) ? v : undefined));
  let size = 10 + (queryAttributes ? lenencSize(n) : 0);
  if (n) size += ((n + 7) >> 3) + 1 + (sendTypes ? n * (queryAttributes ? 3 : 2) : 0);
  for (let i = 0; i < n; i++) size += valueSize(types[i], bytes[i]);
  const framed = size < MAX_PAYLOAD;
  const b = Buffer.allocUnsafe(size + (framed ? 4 : 0));
  let at = framed ? 4 : 0;
  if (framed) { b.writeUIntLE(size, 0, 3); b[3] = 0; }
  b[at] = COM.STMT_EXECUTE;
  b.writeUInt32LE(id, at + 1);
  b[at + 5] = queryAttributes ? 0x08 : 0; // CURSOR_TYPE_NO_CURSOR (| PARAMETER_COUNT_AVAILABLE)
  b.writeUInt32LE(1, at + 6);
  at += 10;
  if (queryAttributes) at = writeLenenc(b, at, n);
  if (n) {
    const bitmap = at;
    b.fill(0, bitmap, bitmap + ((n + 7) >> 3));
    for (let i = 0; i < n; i++) if (types[i] === TYPE.NULL) b[bitmap + (i >> 3)] |= 1 << (i & 7);
    at += (n + 7) >> 3;
    b[at++] = sendTypes ? 1 : 0;
    for (let i = 0; sendTypes && i < n; i++) {
      b[at++] = types[i] & 0xff;
      b[at++] = types[i] & UNSIGNED ? 0x80 : 0;
      if (queryAttributes) b[at++] = 0; // an unnamed parameter: empty length-encoded name
    }
    for (let i = 0; i < n; i++) at = writeValue(b, at, params[i], types[i], bytes[i]);
  }
  return framed ? b : frame(b);
}
