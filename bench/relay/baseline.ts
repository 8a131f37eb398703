// "Today's pipeline" in the same run: the relay agent of an older commit (--baseline <git-ref>),
// compiled from a git worktree into dist/ with the benchmark's own relay-process.ts beside it, so
// that it runs exactly as the current agent does (own nginx, own ports, registered with the same
// API). The worktree exists only while compiling: the compiled files are all the run needs.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { compileForBench, PROJECT_ROOT } from '../support/compile-app';

export interface CompiledBaseline {
  /** `git describe`-like label: the short commit and its subject. */
  commit: string;
  /** The compiled relay-process.js to start with RelayHandle. */
  script: string;
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();

export async function compileBaseline(ref: string, outDir: string): Promise<CompiledBaseline> {
  const sha = git('rev-parse', '--verify', `${ref}^{commit}`);
  const commit = `${sha.slice(0, 7)} (${git('log', '-1', '--format=%s', sha).slice(0, 60)})`;
  const worktree = path.join(PROJECT_ROOT, 'dist', `bench-relay-baseline-src-${process.pid}`);
  await rm(worktree, { recursive: true, force: true });
  git('worktree', 'add', '--detach', '--quiet', worktree, sha);
  try {
    // Its relay agent as it was; the benchmark's process wrapper as it is now (same interface:
    // new RelayAgent(config, log), start(), stop()). Its only import from src/ is types.
    await compileForBench({ outDir, root: worktree, dirs: ['relay/src'], files: [] });
    await compileForBench({
      outDir,
      keep: true,
      dirs: [],
      files: ['bench/relay/relay-process.ts', 'bench/relay/relay-protocol.ts'],
    });
  } finally {
    try {
      git('worktree', 'remove', '--force', worktree);
    } catch {
      await rm(worktree, { recursive: true, force: true });
      git('worktree', 'prune');
    }
  }
  return { commit, script: path.join(outDir, 'bench/relay/relay-process.js') };
}
