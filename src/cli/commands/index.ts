import type { Command } from 'commander';
import type { Runner } from '../main.js';
import { registerAlarms } from './alarms.js';
import { registerAuditLog } from './audit-log.js';
import { registerAnalyzeQueries } from './analyze-queries.js';
import { registerAudit } from './audit.js';
import { registerConnect } from './connect.js';
import { registerCredentials } from './credentials.js';
import { registerDelete } from './delete.js';
import { registerDescribe, registerList } from './describe.js';
import { registerDoctor } from './doctor.js';
import { registerIam } from './iam.js';
import { registerLoadtest } from './loadtest.js';
import { registerLocal } from './local.js';
import { registerMetrics } from './metrics.js';
import { registerModify } from './modify.js';
import { registerLogs } from './logs.js';
import { registerParams } from './params.js';
import { registerPower } from './power.js';
import { registerPromote } from './promote.js';
import { registerProvision } from './provision.js';
import { registerReplicas } from './replicas.js';
import { registerRestore } from './restore.js';
import { registerRestoreWindow } from './restore-window.js';
import { registerSnapshot } from './snapshot.js';
import { registerScaleReplicas } from './scale-replicas.js';
import { registerStatus } from './status.js';
import { registerUsers } from './users.js';

export type RegisterCommand = (program: Command, run: Runner) => void;

// One line per command module; each module stays light (heavy imports inside actions).
export const COMMANDS: RegisterCommand[] = [
  registerProvision,
  registerDescribe,
  registerList,
  registerModify,
  registerPower,
  registerDelete,
  registerCredentials,
  registerConnect,
  registerDoctor,
  registerLocal,
  registerAnalyzeQueries,
  registerLoadtest,
  registerScaleReplicas,
  registerReplicas,
  registerPromote,
  registerMetrics,
  registerAlarms,
  registerStatus,
  registerSnapshot,
  registerRestore,
  registerRestoreWindow,
  registerParams,
  registerLogs,
  registerAudit,
  registerIam,
  registerUsers,
  registerAuditLog,
];
