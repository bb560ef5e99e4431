import type { Command } from 'commander';
import type { Runner } from '../main.js';

export type RegisterCommand = (program: Command, run: Runner) => void;

// One line per command module; each module stays light (heavy imports inside actions).
export const COMMANDS: RegisterCommand[] = [];
