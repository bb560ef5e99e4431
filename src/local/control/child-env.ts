/**
 * The environment the detached control plane gets. It outlives the command that started it, and every
 * mariadbd it runs inherits its environment for the instance's life, so the starting command's secrets
 * (RDSCTL_MASTER_PASSWORD of a `provision`, the caller's real AWS keys, MYSQL_PWD …) must not travel
 * with it: they would sit in /proc/<pid>/environ of long-running processes. It needs none of them.
 */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|_PWD$|^AWS_ACCESS_KEY_ID$/i;

export function controlPlaneEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_NAME.test(name)));
}
