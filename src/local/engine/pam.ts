import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceAccount } from '../../system/service-user.js';
import { AUTH_PAM_TOOL, AUTH_PAM_TOOL_DIR } from '../../system/pam.js';
import type { EngineSpec, InstancePaths } from './types.js';

/**
 * IAM database authentication on a node: MariaDB's auth_pam (v2) with `pam_use_cleartext_plugin`, so a
 * client sends the IAM token as mysql_clear_password (over TLS: users are created REQUIRE SSL), and
 * one PAM service whose only module is pam_exec running the control plane's verifier.
 *
 * Nothing of the host changes: inside the node's mount namespace (confine.ts) a per-node folder is
 * bound onto /etc/pam.d, and a per-node folder owned by the service account (as Debian's postinst
 * would chown the system one to `mysql`) holding a bind of the setuid auth_pam_tool is bound onto
 * plugin/auth_pam_tool_dir. Why the tool: auth_pam v2 runs PAM in that setuid-root helper, never in
 * mariadbd; the system folder is root 0700 here (Debian's `mysql` owns it elsewhere), so mariadbd as
 * rdsctl-mysql could not exec it without our own folder.
 */
export const PAM_SERVICE = 'rdsctl-iam';

export function pamFolders(paths: InstancePaths) {
  const base = join(paths.root, 'pam');
  return { pamd: join(base, 'pam.d'), toolDir: join(base, 'tool'), toolStub: join(base, 'tool', 'auth_pam_tool') };
}

export function pamConfigLines(): string[] {
  return ['plugin_load_add=auth_pam', 'pam_use_cleartext_plugin=ON'];
}

/**
 * The PAM service file: pam_exec hands the token on stdin (expose_authtok; at most 511 bytes, PAM's
 * PAM_MAX_RESP_SIZE) and the verifier's exit status decides. PAM splits arguments on blanks, so no path
 * in the command may hold one.
 */
export function renderPamService(verifier: string[]): string {
  if (verifier.some((a) => /\s/.test(a))) throw new Error(`the IAM verifier command has a blank in a path: ${verifier.join(' ')}`);
  return [
    '# Written by rdsctl: IAM database authentication (the control plane checks the token).',
    `auth required pam_exec.so expose_authtok quiet ${verifier.join(' ')}`,
    'account required pam_permit.so',
    '',
  ].join('\n');
}

/** Writes the node's PAM folders (root-owned service file, service-account tool folder with an empty stub). */
export async function writePamFiles(paths: InstancePaths, spec: EngineSpec, acct: ServiceAccount | undefined): Promise<void> {
  if (!spec.iamAuth) return;
  const f = pamFolders(paths);
  await mkdir(f.pamd, { recursive: true, mode: 0o755 });
  await chmod(f.pamd, 0o755);
  await writeFile(join(f.pamd, PAM_SERVICE), renderPamService(spec.iamAuth.verifier), { mode: 0o644 });
  await mkdir(f.toolDir, { recursive: true, mode: 0o700 });
  await writeFile(f.toolStub, '', { mode: 0o755 }); // the mount point of the real tool's bind
  if (acct) await chown(f.toolDir, acct.uid, acct.gid);
}

/** Bind mounts (source → target, in order) the confinement script makes for an IAM-enabled node. */
export function pamBinds(paths: InstancePaths, spec: EngineSpec): [string, string][] {
  if (!spec.iamAuth) return [];
  const f = pamFolders(paths);
  return [[AUTH_PAM_TOOL, f.toolStub], [f.toolDir, AUTH_PAM_TOOL_DIR], [f.pamd, '/etc/pam.d']];
}
