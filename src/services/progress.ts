/** An instance's status as a wait saw it: the CLI remembers the last one to say, on Ctrl-C, what goes on. */
export interface StatusSeen {
  id: string;
  status: string;
}

/** Services never print: they report what is happening through this callback (`seen` while waiting on an instance). */
export type Progress = (message: string, seen?: StatusSeen) => void;
export const silent: Progress = () => {};
