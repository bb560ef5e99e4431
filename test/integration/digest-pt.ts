/** Runs the real pt-query-digest (percona-toolkit, a Debian package CI installs) for comparisons. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PtClass {
  id: string;
  count: number;
  fingerprint: string;
  sum: number;
  max: number;
  p95: number;
}

/** pt-query-digest --output json on a slow log → its classes by id (last 16 hex of the checksum). */
export async function ptDigest(file: string, opts: { preserveEmbeddedNumbers?: boolean } = {}): Promise<Map<string, PtClass>> {
  const args = ['--no-version-check', '--output', 'json', '--limit', '1000000', ...(opts.preserveEmbeddedNumbers === false ? [] : ['--preserve-embedded-numbers']), file];
  const { stdout } = await run('pt-query-digest', args, { maxBuffer: 1 << 30 });
  const doc = JSON.parse(stdout) as { classes: Array<{ checksum: string; query_count: number; fingerprint: string; metrics: { Query_time: Record<string, string> } }> };
  return new Map(doc.classes.map((c) => {
    const q = c.metrics.Query_time;
    const id = c.checksum.slice(-16);
    return [id, { id, count: Number(c.query_count), fingerprint: c.fingerprint, sum: Number(q.sum), max: Number(q.max), p95: Number(q.pct_95) }];
  }));
}

/** pt's own QueryRewriter::fingerprint on each statement (loads pt-query-digest as a Perl library). */
/** Where pt-query-digest is installed (the Debian package puts it in /usr/bin). */
export function ptQueryDigestPath(): string {
  const dirs = (process.env.PATH ?? '/usr/bin').split(path.delimiter);
  const found = dirs.map((d) => path.join(d, 'pt-query-digest')).find((p) => existsSync(p));
  if (!found) throw new Error('pt-query-digest not found on PATH: install percona-toolkit (apt-get install percona-toolkit)');
  return found;
}

export async function ptFingerprints(statements: string[], opts: { preserveEmbeddedNumbers: boolean }): Promise<string[]> {
  const script = [
    `do ${JSON.stringify(ptQueryDigestPath())}; die $@ if $@;`,
    `my $qr = QueryRewriter->new(match_embedded_numbers => ${opts.preserveEmbeddedNumbers ? 1 : 0});`,
    'binmode STDIN; binmode STDOUT; my @q; { local $/ = "\\0"; while (my $s = <STDIN>) { chop $s; push @q, $s } }',
    'print $qr->fingerprint($_), "\\0" for @q;',
  ].join('\n');
  const child = execFile('perl', ['-e', script], { maxBuffer: 1 << 30, encoding: 'latin1' });
  const out = new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: string) => (buf += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(buf) : reject(new Error(`perl exited ${code}`))));
  });
  child.stdin!.end(Buffer.from(statements.map((s) => `${s}\0`).join(''), 'latin1'));
  return (await out).split('\0').slice(0, statements.length);
}
