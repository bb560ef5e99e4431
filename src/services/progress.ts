/** Services never print: they report what is happening through this callback. */
export type Progress = (message: string) => void;
export const silent: Progress = () => {};
