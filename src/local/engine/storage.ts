import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes of every regular file under dir (tables, redo, undo, binlogs, relay logs), counted by
 * allocated blocks when smaller than the size, so sparse files are not over-counted. Files that vanish
 * mid-walk (binlog purge, temp tables) are skipped.
 */
export async function directoryBytes(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await directoryBytes(p);
    else if (e.isFile()) total += await fileBytes(p);
  }
  return total;
}

async function fileBytes(p: string): Promise<number> {
  try {
    const st = await lstat(p);
    return Math.min(st.size, st.blocks * 512);
  } catch {
    return 0;
  }
}
