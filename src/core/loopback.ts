/** A host name or address that means this machine: localhost, ::1, or any of 127.0.0.0/8. */
export const isLoopbackHost = (host: string | undefined): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host ?? '');
