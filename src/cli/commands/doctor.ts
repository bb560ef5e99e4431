import type { RegisterCommand } from './index.js';

export const registerDoctor: RegisterCommand = (program, run) => {
  program
    .command('doctor')
    .description('check what the local target needs: what is installed, what is missing, how to fix it')
    .action((_o, cmd) =>
      run(cmd, async (ctx) => {
        const { runDoctor } = await import('../../services/doctor.js');
        const checks = await runDoctor(ctx.home);
        const missing = checks.filter((c) => c.required && !c.ok);
        const render = () =>
          checks
            .map((c) => `${c.ok ? ctx.out.paint('green', 'ok  ') : c.required ? ctx.out.paint('red', 'MISS') : ctx.out.paint('yellow', 'opt ')} ${c.name.padEnd(20)} ${c.detail}${c.fix ? `\n     fix: ${c.fix}` : ''}`)
            .join('\n');
        if (missing.length === 0) {
          ctx.out.result({ ok: true, checks }, render);
          return;
        }
        if (!ctx.out.opts.json) ctx.out.print(render());
        const { checkFailedError } = await import('../../core/errors.js');
        // Each failing check with its detail: not everything is "missing" (a home with the wrong mode), and
        // with --json this error is the only document, so it must carry what the table showed.
        throw checkFailedError('DOCTOR_MISSING', `Not ready for the local target: ${missing.map((c) => `${c.name} (${c.detail})`).join('; ')}.`, {
          hint: [...new Set(missing.map((c) => c.fix))].join('; '),
        });
      }),
    );
};
