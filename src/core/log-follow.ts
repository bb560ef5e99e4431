/**
 * `rdsctl logs --follow` across rotations. A follower holds a marker into one file; when the server
 * rotates the log (server_audit renames `NAME` to `NAME.1`, shifting `.1` to `.2` …; RDS renames its
 * hourly logs to `NAME.<hour>`), the lines after the marker are in a rotated file and the current file
 * starts again from nothing. Without this, the follower read the new file from the old file's offset
 * and lost everything up to there.
 *
 * What DescribeDBLogFiles gives is enough to tell, without reading content: a rename keeps a file's
 * last-write time, so a rotated file seen at the last poll is found again by it under its new name,
 * and how far the names moved is how many rotations happened.
 */
export interface LogFileSeen { name: string; size: number; lastWritten: number }

/** Where the follower is: its marker into the current file, and what the listing said when it read. */
export interface FollowPoint {
  marker: string;
  size: number;
  lastWritten: number;
  /** The rotated files then: their last-write times by name. */
  rotated: Record<string, number>;
}

export interface FollowPlan {
  /** Read in this order, each to its end; the last is always the current file. */
  reads: Array<{ file: string; marker: string }>;
  /** Lines may be missing: a rotation happened but the file the marker was in is not listed any more. */
  gap: boolean;
}

const suffixOf = (base: string, name: string): number | undefined => {
  const m = name.startsWith(`${base}.`) ? /^(\d{1,3})$/.exec(name.slice(base.length + 1)) : null;
  return m ? Number(m[1]) : undefined;
};

export function followPoint(base: string, files: LogFileSeen[], marker: string): FollowPoint {
  const cur = files.find((f) => f.name === base);
  const rotated: Record<string, number> = {};
  for (const f of files) if (suffixOf(base, f.name) !== undefined) rotated[f.name] = f.lastWritten;
  return { marker, size: cur?.size ?? 0, lastWritten: cur?.lastWritten ?? 0, rotated };
}

export function planFollow(base: string, at: FollowPoint, files: LogFileSeen[]): FollowPlan {
  const cur = files.find((f) => f.name === base);
  const rotatedNow = files.filter((f) => suffixOf(base, f.name) !== undefined);
  const steady: FollowPlan = { reads: cur ? [{ file: base, marker: at.marker }] : [], gap: false };
  if (!cur) return steady; // not there (yet, or any more): nothing to read this time
  // Rotated since the last look: written no earlier than the current file was then, and not a file
  // seen rotated then (found by its last-write time, which a rename keeps).
  const seenTimes = new Set(Object.values(at.rotated));
  const newSince = rotatedNow.filter((f) => f.lastWritten >= at.lastWritten && !seenTimes.has(f.lastWritten));
  if (cur.size >= at.size && newSince.length === 0) return steady;

  // Which rotated file is the old current one, the marker's?
  const prevByTime = new Map<number, string>();
  for (const [name, t] of Object.entries(at.rotated)) prevByTime.set(t, prevByTime.has(t) ? '' : name); // '' = not unique
  const shifts = new Set<number>();
  for (const f of rotatedNow) {
    const was = prevByTime.get(f.lastWritten);
    if (was) shifts.add(suffixOf(base, f.name)! - suffixOf(base, was)!);
  }
  const shift = shifts.size === 1 ? [...shifts][0] : undefined;
  let held: LogFileSeen | undefined;
  let after: LogFileSeen[];
  if (shift !== undefined && shift > 0) {
    // Numbered like server_audit, and the files seen before moved up by `shift`: that many rotations.
    // The old current file is now `.shift`; `.shift-1` … `.1` were written after it.
    held = rotatedNow.find((f) => suffixOf(base, f.name) === shift);
    after = rotatedNow.filter((f) => suffixOf(base, f.name)! < shift).sort((a, b) => suffixOf(base, b.name)! - suffixOf(base, a.name)!);
  } else {
    // No file seen before to match (the first rotation), or names that do not move (RDS's hourly
    // `.<hour>`): the files new since the last look, oldest first; the oldest is the old current one.
    const byAge = [...newSince].sort((a, b) => a.lastWritten - b.lastWritten || suffixOf(base, b.name)! - suffixOf(base, a.name)!);
    held = byAge[0];
    after = byAge.slice(1);
  }
  const reads = [...(held ? [{ file: held.name, marker: at.marker }] : []), ...after.map((f) => ({ file: f.name, marker: '0' })), { file: base, marker: '0' }];
  return { reads, gap: held === undefined };
}
