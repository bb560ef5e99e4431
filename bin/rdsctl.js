#!/usr/bin/env node
// Thin shim: the compiled CLI lives in dist/ (built by `npm run build`, run on `npm ci` via prepare).
import { run } from '../dist/cli/main.js';
run(process.argv);
