import { statSync } from 'node:fs';
import { mountNamespacesWork } from './mount-namespace.js';

/** Where MariaDB's Debian packages put auth_pam v2's setuid helper. */
export const AUTH_PAM_TOOL_DIR = '/usr/lib/mysql/plugin/auth_pam_tool_dir';
export const AUTH_PAM_TOOL = `${AUTH_PAM_TOOL_DIR}/auth_pam_tool`;
export const AUTH_PAM_PLUGIN = '/usr/lib/mysql/plugin/auth_pam.so';
export const PAM_EXEC = ['/lib/x86_64-linux-gnu/security/pam_exec.so', '/usr/lib/x86_64-linux-gnu/security/pam_exec.so', '/lib/security/pam_exec.so', '/usr/lib64/security/pam_exec.so'];

const exists = (p: string) => {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
};

/**
 * Why IAM database authentication cannot run on this machine, or undefined when it can: rdsctl as root
 * with mount namespaces (the PAM files are bound into the node's namespace), auth_pam.so, the
 * setuid-root auth_pam_tool (owned by root, mode u+s) and pam_exec.so.
 */
export function iamAuthUnavailable(): string | undefined {
  if (!mountNamespacesWork()) return 'rdsctl must run as root with mount namespaces (unshare) to give each instance its own /etc/pam.d';
  if (!exists(AUTH_PAM_PLUGIN)) return `MariaDB's PAM plugin ${AUTH_PAM_PLUGIN} is missing`;
  const tool = exists(AUTH_PAM_TOOL);
  if (!tool || tool.uid !== 0 || (tool.mode & 0o4000) === 0) return `${AUTH_PAM_TOOL} is missing or not setuid root (auth_pam v2 runs PAM in it)`;
  if (!PAM_EXEC.some((p) => exists(p))) return 'pam_exec.so (libpam-modules) is missing';
  return undefined;
}
