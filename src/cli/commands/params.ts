import { usageError } from '../../core/errors.js';
import type { RegisterCommand } from './index.js';

type ParamsOptions = { applyMethod?: string; description?: string; family?: string; source?: string; dryRun?: boolean };

const ACTIONS = ['list', 'set', 'reset'];

export const registerParams: RegisterCommand = (program, run) => {
  program
    .command('params [group] [action] [args...]')
    .description('DB parameter groups: `params` lists them; `params create <group>`; `params delete <group>`; `params <group> list | set name=value … | reset [name …]`')
    .option('--apply-method <method>', 'set: immediate (dynamic parameters only) or pending-reboot (default: immediate for dynamic, pending-reboot for static)')
    .option('--description <text>', 'create: the group description')
    .option('--family <family>', 'create: the parameter group family', 'mariadb10.11')
    .option('--source <source>', 'list: only user, engine-default or system parameters')
    .option('--dry-run', 'set/reset: print the plan and change nothing')
    .action((group: string | undefined, action: string | undefined, args: string[], o: ParamsOptions, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const svc = await import('../../services/params.js');
        const render = await import('../render/params.js');
        const { rds } = await clientsFor(ctx);
        if (group === undefined) {
          const groups = await svc.listGroups(rds);
          ctx.out.result({ DBParameterGroups: groups }, () => render.renderGroups(groups));
          return;
        }
        if (group === 'create') {
          const name = action;
          if (!name || args.length > 0) throw usageError('PARAMS_CREATE_NAME', 'params create needs exactly one group name.', { hint: 'Example: rdsctl params create peak-load --description "peak load".' });
          const created = await svc.createGroup(rds, name, o.family ?? 'mariadb10.11', o.description ?? `rdsctl parameter group ${name}`);
          ctx.out.result({ DBParameterGroup: created }, () => `Created parameter group ${created.DBParameterGroupName} (${created.DBParameterGroupFamily}).`);
          return;
        }
        if (group === 'delete') {
          const name = action;
          if (!name || args.length > 0) throw usageError('PARAMS_DELETE_NAME', 'params delete needs exactly one group name.', { hint: 'Example: rdsctl params delete peak-load --yes.' });
          const { confirm } = await import('../interaction.js');
          await confirm(ctx, `Delete parameter group ${name}?`);
          await svc.deleteGroup(rds, name);
          ctx.out.result({ DBParameterGroupName: name, deleted: true }, () => `Deleted parameter group ${name}.`);
          return;
        }
        const verb = action ?? 'list';
        if (!ACTIONS.includes(verb)) throw usageError('PARAMS_BAD_ACTION', `"${verb}" is not list, set or reset.`, { hint: `Example: rdsctl params ${group} set max_connections=500.` });
        if (verb === 'list') {
          if (args.length > 0) throw usageError('PARAMS_LIST_ARGS', 'params list takes no names.', { hint: `Use rdsctl params ${group} list --source user for the values you set.` });
          const params = await svc.listParameters(rds, group, o.source);
          ctx.out.result({ DBParameterGroupName: group, Parameters: params }, () => render.renderParameters(params));
          return;
        }
        const plans = await import('../../core/plans/params-plan.js');
        const current = await svc.listParameters(rds, group);
        const dryRun = Boolean(o.dryRun || ctx.options.dryRun);
        const changes = verb === 'set'
          ? plans.planSet(current, plans.parseAssignments(args, group), group, plans.parseApplyMethod(o.applyMethod))
          : plans.planReset(current, args, group);
        if (!dryRun && changes.length > 0) {
          if (verb === 'set') await svc.applySet(rds, group, changes);
          else await svc.applyReset(rds, group, changes, false);
        }
        ctx.out.result({ DBParameterGroupName: group, dryRun, applied: !dryRun && changes.length > 0, changes, needsReboot: changes.some((c) => c.needsReboot) },
          () => render.renderParamPlan(group, changes, !dryRun, verb as 'set' | 'reset'));
      }),
    );
};
