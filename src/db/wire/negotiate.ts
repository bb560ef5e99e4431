import type { Connection } from 'mysql2';

/**
 * MARIADB_CLIENT_CACHE_METADATA (MariaDB 10.6+): the server stops resending a prepared statement's
 * column definitions with every execute once the client has them, and sends them again only when
 * they change (the statement was re-prepared after DDL). libmariadb asks for it, so sysbench gets it;
 * mysql2 does not, and cannot read a result without them, so it is asked for here, on the one
 * connection the wire session takes over, never on a connection mysql2 goes on reading.
 *
 * mysql2 already leaves CLIENT_MYSQL (= LONG_PASSWORD) unset for a MariaDB server and sends its
 * extended capabilities (for EXTENDED_METADATA); this adds CACHE_METADATA to what its handshake
 * command sends, when the server's greeting offers it. Both packets that carry the extended
 * capabilities (the SSL request and the handshake response) read the command's field, so both agree.
 */
const LONG_PASSWORD = 0x1; // CLIENT_MYSQL in MariaDB's naming
const CACHE_METADATA = 0x10; // bit 4 of the extended capabilities (1 << 36 of the 64-bit flags)

interface HandshakeCommand {
  clientFlags: number;
  mariadbExtendedClientFlags: number;
  handshake?: { mariadbExtendedCapabilityFlags?: number } | null;
}

/**
 * Call right after createConnection, before the greeting arrives. Returns a function that says, once
 * connected, whether the capability went out in the handshake (so the server uses it). A mysql2
 * whose handshake command is not shaped as expected gets nothing asked: results then carry their
 * metadata, as before.
 */
export function askForCachedMetadata(conn: Connection): () => boolean {
  const cmd = (conn as unknown as { _command?: Partial<HandshakeCommand> })._command;
  if (!cmd || typeof cmd.mariadbExtendedClientFlags !== 'number' || typeof cmd.clientFlags !== 'number') return () => false;
  const hs = cmd as HandshakeCommand;
  let flags = hs.mariadbExtendedClientFlags;
  let asked = false;
  Object.defineProperty(hs, 'mariadbExtendedClientFlags', {
    configurable: true,
    enumerable: true,
    get(): number {
      const offered = ((hs.handshake?.mariadbExtendedCapabilityFlags ?? 0) & CACHE_METADATA) !== 0;
      // The server reads the extended bytes only when CLIENT_MYSQL is unset.
      if (!offered || hs.clientFlags & LONG_PASSWORD) return flags;
      asked = true;
      return flags | CACHE_METADATA;
    },
    set(v: number) { flags = v; },
  });
  return () => asked;
}
