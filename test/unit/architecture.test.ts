import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of docs/ARCHITECTURE.md, checked on the source files themselves: a forbidden
 * import or a stray process.exit fails here, in review-free CI, not in a later refactoring.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

function sources(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
/** Comments say why; they may name process.exit or an import without being one. */
const code = (file: string) => fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** Every module a file imports (static, re-export, type-only and dynamic): src files as `dir/file.ts`, else the package or node: name. */
export function importsOf(file: string): string[] {
  const text = code(file);
  // Only statements that start a line (a word `from` inside code or a string is not an import).
  const patterns = [
    /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm, // import … from / export … from (multi-line too)
    /^\s*import\s*['"]([^'"]+)['"]/gm, // side-effect import
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g, // dynamic import()
  ];
  const specs = patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
  return specs.map((s) => (s.startsWith('.') ? rel(path.resolve(path.dirname(file), s)).replace(/\.js$/, '.ts') : s));
}

const files = sources();
const under = (prefix: string) => files.filter((f) => rel(f).startsWith(prefix));

function violations(from: string[], forbidden: (target: string) => boolean): string[] {
  return from.flatMap((f) => importsOf(f).filter(forbidden).map((t) => `${rel(f)} imports ${t}`));
}

describe('architecture', () => {
  it('sees the source tree', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(importsOf(path.join(SRC, 'local/main.ts'))).toContain('local/control/control-plane.ts');
  });

  it('cli and services never import the local endpoint\'s ops, engine or server (they reach it through the SDK)', () => {
    const forbidden = (t: string) => /^local\/(ops|engine|server)\//.test(t);
    expect(violations([...under('cli/'), ...under('services/')], forbidden)).toEqual([]);
  });

  it('core imports nothing but core (pure: no node: modules, no packages)', () => {
    // Pure: not even node: modules or packages, only other core files.
    expect(violations(under('core/'), (t) => !t.startsWith('core/'))).toEqual([]);
  });

  it('src/db (SQL sessions) imports only core and packages, so every command and the control plane can share it', () => {
    expect(violations(under('db/'), (t) => t.endsWith('.ts') && !t.startsWith('core/') && !t.startsWith('db/'))).toEqual([]);
  });

  it('only src/cli/main.ts and src/local/main.ts end the process (and the PAM verifier, a program of its own)', () => {
    const exits = files
      .filter((f) => /\bprocess\.(exit\s*\(|exitCode\s*=)/.test(code(f)))
      .map(rel)
      .filter((f) => f !== 'cli/main.ts' && f !== 'local/main.ts' && f !== 'local/engine/pam-verifier.ts');
    expect(exits).toEqual([]);
  });
});
