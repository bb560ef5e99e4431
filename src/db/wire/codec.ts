/**
 * The MySQL/MariaDB client/server protocol's values, as pure functions over buffers: length-encoded
 * integers and strings, column definitions, binary and text result rows (the command packets are in
 * commands.ts). Results come out as mysql2 gives them with `dateStrings` and `supportBigNumbers`
 * (integers as numbers unless beyond 2^53, DECIMAL as text, dates as text, binary columns as Buffers),
 * so the code above does not see which client read them.
 */

export const TYPE = {
  DECIMAL: 0, TINY: 1, SHORT: 2, LONG: 3, FLOAT: 4, DOUBLE: 5, NULL: 6, TIMESTAMP: 7, LONGLONG: 8, INT24: 9,
  DATE: 10, TIME: 11, DATETIME: 12, YEAR: 13, NEWDECIMAL: 246, VAR_STRING: 253, BLOB: 252,
} as const;
const UNSIGNED = 0x20;
const BINARY_CHARSET = 63;

export interface Column { name: string; type: number; flags: number; decimals: number; charset: number }

/** A cursor over one packet's payload. */
export class Reader {
  constructor(readonly b: Buffer, public pos: number, readonly end: number) {}
  u8(): number { return this.b[this.pos++]; }
  u16(): number { const v = this.b.readUInt16LE(this.pos); this.pos += 2; return v; }
  u32(): number { const v = this.b.readUInt32LE(this.pos); this.pos += 4; return v; }
  /** A length-encoded integer; null for 0xfb (SQL NULL in a text row). */
  lenenc(): number | null {
    const f = this.b[this.pos++];
    if (f < 0xfb) return f;
    if (f === 0xfb) return null;
    if (f === 0xfc) return this.u16();
    if (f === 0xfd) { const v = this.b.readUIntLE(this.pos, 3); this.pos += 3; return v; }
    const v = Number(this.b.readBigUInt64LE(this.pos));
    this.pos += 8;
    return v;
  }
  bytes(n: number): Buffer { const v = this.b.subarray(this.pos, this.pos + n); this.pos += n; return v; }
  lenencBytes(): Buffer | null { const n = this.lenenc(); return n === null ? null : this.bytes(n); }
  lenencString(): string { const n = this.lenenc() ?? 0; const s = this.b.toString('utf8', this.pos, this.pos + n); this.pos += n; return s; }
  skipLenenc(): void { const n = this.lenenc(); if (n) this.pos += n; }
}

/**
 * Protocol::ColumnDefinition41. The fixed-length fields are read from the packet's end: MariaDB puts
 * its extended metadata (negotiated by mysql2) between the names and them, and no default value
 * follows them outside COM_FIELD_LIST.
 */
export function parseColumn(r: Reader): Column {
  for (let i = 0; i < 4; i++) r.skipLenenc(); // catalog, schema, table, org_table
  const name = r.lenencString();
  const f = r.end - 12; // charset 2, column length 4, type 1, flags 2, decimals 1, filler 2
  return { name, charset: r.b.readUInt16LE(f), type: r.b[f + 6], flags: r.b.readUInt16LE(f + 7), decimals: r.b[f + 9] };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const fraction = (micros: number, decimals: number) => (decimals > 0 && decimals <= 6 ? `.${pad(micros, 6).slice(0, decimals)}` : '');

function binaryDate(r: Reader, c: Column): string {
  const n = r.u8();
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, us = 0;
  if (n >= 4) { y = r.u16(); mo = r.u8(); d = r.u8(); }
  if (n >= 7) { h = r.u8(); mi = r.u8(); s = r.u8(); }
  if (n >= 11) us = r.u32();
  const date = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  return c.type === TYPE.DATE ? date : `${date} ${pad(h)}:${pad(mi)}:${pad(s)}${fraction(us, c.decimals)}`;
}

function binaryTime(r: Reader, c: Column): string {
  const n = r.u8();
  if (n === 0) return `00:00:00${fraction(0, c.decimals)}`;
  const neg = r.u8() === 1;
  const days = r.u32(), h = r.u8(), mi = r.u8(), s = r.u8();
  const us = n >= 12 ? r.u32() : 0;
  return `${neg ? '-' : ''}${pad(days * 24 + h)}:${pad(mi)}:${pad(s)}${fraction(us, c.decimals)}`;
}

/** An integer beyond 2^53 stays exact as text (mysql2's supportBigNumbers). */
const safeInt = (v: bigint): number | string => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString());

function binaryValue(r: Reader, c: Column): unknown {
  const unsigned = (c.flags & UNSIGNED) !== 0;
  const b = r.b;
  switch (c.type) {
    case TYPE.TINY: { const v = unsigned ? b.readUInt8(r.pos) : b.readInt8(r.pos); r.pos += 1; return v; }
    case TYPE.SHORT: case TYPE.YEAR: { const v = unsigned ? b.readUInt16LE(r.pos) : b.readInt16LE(r.pos); r.pos += 2; return v; }
    case TYPE.LONG: case TYPE.INT24: { const v = unsigned ? b.readUInt32LE(r.pos) : b.readInt32LE(r.pos); r.pos += 4; return v; }
    case TYPE.LONGLONG: { const v = unsigned ? b.readBigUInt64LE(r.pos) : b.readBigInt64LE(r.pos); r.pos += 8; return safeInt(v); }
    case TYPE.FLOAT: { const v = b.readFloatLE(r.pos); r.pos += 4; return v; }
    case TYPE.DOUBLE: { const v = b.readDoubleLE(r.pos); r.pos += 8; return v; }
    case TYPE.DATE: case TYPE.DATETIME: case TYPE.TIMESTAMP: return binaryDate(r, c);
    case TYPE.TIME: return binaryTime(r, c);
    default: return textValue(r.lenencBytes()!, c);
  }
}

/** A value as the server sent it in text form (text rows; DECIMAL, strings and the like in binary rows too). */
function textValue(raw: Buffer, c: Column): unknown {
  switch (c.type) {
    case TYPE.TINY: case TYPE.SHORT: case TYPE.LONG: case TYPE.INT24: case TYPE.YEAR: return Number(raw.toString('latin1'));
    case TYPE.LONGLONG: return safeInt(BigInt(raw.toString('latin1')));
    case TYPE.FLOAT: case TYPE.DOUBLE: return Number(raw.toString('latin1'));
    default: return c.charset === BINARY_CHARSET && !isTemporalOrNumeric(c.type) ? Buffer.from(raw) : raw.toString('utf8');
  }
}
const isTemporalOrNumeric = (t: number) => t === TYPE.DECIMAL || t === TYPE.NEWDECIMAL || (t >= TYPE.TIMESTAMP && t <= TYPE.YEAR);

/** ProtocolBinary::ResultsetRow: 0x00, a NULL bitmap offset by 2 bits, then the non-NULL values. */
export function binaryRow(r: Reader, columns: Column[]): Record<string, unknown> {
  r.pos++; // 0x00 header
  const bitmap = r.pos;
  r.pos += (columns.length + 9) >> 3;
  const row: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const bit = i + 2;
    row[columns[i].name] = r.b[bitmap + (bit >> 3)] & (1 << (bit & 7)) ? null : binaryValue(r, columns[i]);
  }
  return row;
}

/** ProtocolText::ResultsetRow: one length-encoded string (or 0xfb NULL) per column. */
export function textRow(r: Reader, columns: Column[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of columns) {
    const raw = r.lenencBytes();
    row[c.name] = raw === null ? null : textValue(raw, c);
  }
  return row;
}
