/**
 * The program pam_exec runs for each IAM database login (engine/pam.ts): argv = <socket> <instance>,
 * the token on stdin (expose_authtok, NUL-terminated), the database user in PAM_USER. It holds no
 * secret and decides nothing itself: it asks the control plane over its Unix socket (root-only folder;
 * this runs as root inside the node's mount namespace, under the setuid auth_pam_tool) and exits 0 for
 * "ok", 1 otherwise. Kept to node: built-ins so it starts fast.
 */
import { connect } from 'node:net';

const [socketPath, instance] = process.argv.slice(2);
const TIMEOUT_MS = 5_000;

function readStdin(): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').replace(/\0+$/, '')));
    process.stdin.on('error', () => resolve(''));
  });
}

async function main(): Promise<number> {
  if (!socketPath || !instance) return 1;
  const token = await readStdin();
  const user = process.env.PAM_USER ?? '';
  return new Promise<number>((resolve) => {
    const sock = connect(socketPath);
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(1);
    }, TIMEOUT_MS);
    let answer = '';
    sock.on('connect', () => sock.end(`${JSON.stringify({ instance, user, token })}\n`));
    sock.on('data', (d: Buffer) => {
      answer += d.toString('utf8');
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(answer.startsWith('ok') ? 0 : 1);
    });
    sock.on('error', () => undefined); // close follows
  });
}

// The exit status is PAM's answer; exitCode (not exit()) lets stdout/stderr drain.
main().then((code) => {
  process.exitCode = code;
}, () => {
  process.exitCode = 1;
});
