/**
 * The control-plane process: `node dist/local/main.js --home <dir> [--port N]`.
 * Started detached by ensureLocalEndpoint (rdsctl local start); stopped by SIGTERM (rdsctl local stop).
 */
import { createMariadbEngine, ensureHomeCa, instancePaths, mysqlAvailable, requireBinary } from './engine/index.js';
import { runControlPlane, StartupError } from './control/control-plane.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function intEnv(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

async function main(): Promise<void> {
  const home = arg('--home');
  if (!home) throw new StartupError('usage: main.js --home <dir> [--port N]');
  const portText = arg('--port') ?? process.env.RDSCTL_LOCAL_PORT;
  const port = portText === undefined || portText === '' ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new StartupError(`invalid port "${portText}" (RDSCTL_LOCAL_PORT / --port must be 1–65535)`);
  }
  const cp = await runControlPlane(
    { engine: createMariadbEngine(), instancePaths, ensureHomeCa, mysqlAvailable, mariadbdPath: () => requireBinary('mariadbd') },
    { home, port, superviseMs: intEnv('RDSCTL_SUPERVISE_MS', 2000), storageCheckMs: intEnv('RDSCTL_STORAGE_CHECK_MS', 5000) },
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`received ${signal}, stopping\n`);
    cp.shutdown().then(() => process.exit(0), (err) => {
      process.stderr.write(`fatal: shutdown failed: ${(err as Error).message}\n`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

// A stray rejection must not take every instance's control plane down; it is logged and the process goes on.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`${new Date().toISOString()} error unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
});

main().catch((err) => {
  // ensureLocalEndpoint shows this line to the user when the process exits before it answers.
  process.stderr.write(`fatal: ${(err as Error).message}\n`);
  process.exit(err instanceof StartupError ? 2 : 1);
});
