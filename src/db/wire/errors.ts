import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * MySQL error names by errno (ER_LOCK_DEADLOCK for 1213), from mysql2's table: one list, not a copy.
 * mysql2's package exports do not name the file, so it is loaded by its path in the installed package.
 */
const require = createRequire(import.meta.url);
const names = require(path.join(path.dirname(require.resolve('mysql2')), 'lib', 'constants', 'errors.js')) as Record<number, string | undefined>;

export const codeOf = (errno: number): string => names[errno] ?? `ER_${errno}`;
