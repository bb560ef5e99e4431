import type { Clients } from '../aws/clients.js';
import type { CliContext } from './context.js';
import { tagRequest } from './to-error.js';

/** SDK clients for the command's target; names the target on stderr so a DBA knows where it went. */
export async function clientsFor(ctx: CliContext): Promise<Clients> {
  const { createClients } = await import('../aws/clients.js');
  const { options } = ctx;
  const clients = await createClients({
    target: ctx.target,
    home: ctx.home,
    profile: options.profile,
    region: options.region,
    endpointUrl: options.endpointUrl,
  });
  ctx.out.target = { kind: clients.target.kind, region: clients.target.region, endpoint: clients.target.endpoint };
  ctx.out.progress(ctx.out.paint('dim', `target: ${clients.target.label}`));
  for (const w of clients.target.warnings ?? []) ctx.out.warn(w);
  // A failed call carries the instance it was about, so error hints name it (`rdsctl start shop`).
  clients.rds.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const input = args.input as { DBInstanceIdentifier?: string; SourceDBInstanceIdentifier?: string };
        const id = input.DBInstanceIdentifier ?? input.SourceDBInstanceIdentifier;
        tagRequest(err, { id: id?.toLowerCase(), target: ctx.target });
        throw err;
      }
    },
    { step: 'initialize', name: 'rdsctlRequestContext' },
  );
  await ctx.out.enableSpinner();
  return clients;
}
