#!/usr/bin/env node
// `node scripts/check-layers.mjs [--edges]`: the folders under src/ must form layers, i.e. no two
// folders import each other, directly or through others. Reads the relative imports of every
// non-spec .ts file under src/ (a folder is the first path segment below src/; files directly in
// src/ are the composition root and count as none), prints each folder cycle and exits 1 if any.
// `--edges` also prints every folder-to-folder edge with the files that make it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const importPattern = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') yield* sourceFiles(full);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('spec.ts')) {
      yield full;
    }
  }
}

const folderOf = (file) => {
  const parts = path.relative(root, file).split(path.sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : null;
};

/** from folder -> to folder -> files of `from` importing `to` */
const edges = new Map();
for (const file of sourceFiles(root)) {
  const from = folderOf(file);
  if (!from) continue;
  for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
    const to = folderOf(path.resolve(path.dirname(file), match[1]));
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const targets = edges.get(from);
    if (!targets.has(to)) targets.set(to, new Set());
    targets.get(to).add(path.relative(root, file));
  }
}

// Strongly connected components (Tarjan): each component of more than one folder is a cycle.
const folders = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((t) => [...t.keys()])])].sort();
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
let counter = 0;
const visit = (folder) => {
  index.set(folder, counter);
  low.set(folder, counter);
  counter += 1;
  stack.push(folder);
  onStack.add(folder);
  for (const next of edges.get(folder)?.keys() ?? []) {
    if (!index.has(next)) {
      visit(next);
      low.set(folder, Math.min(low.get(folder), low.get(next)));
    } else if (onStack.has(next)) {
      low.set(folder, Math.min(low.get(folder), index.get(next)));
    }
  }
  if (low.get(folder) === index.get(folder)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== folder);
    if (component.length > 1) components.push(component.sort());
  }
};
for (const folder of folders) if (!index.has(folder)) visit(folder);

if (process.argv.includes('--edges')) {
  for (const [from, targets] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [to, files] of [...targets].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`${from} -> ${to}: ${[...files].sort().join(', ')}`);
    }
  }
}

const pairs = [];
for (const [from, targets] of edges) {
  for (const to of targets.keys()) if (from < to && edges.get(to)?.has(from)) pairs.push(`${from}<->${to}`);
}
if (components.length === 0) {
  console.log(`check-layers: ${folders.length} folders under src/, no folder cycle`);
  process.exit(0);
}
console.error('check-layers: folders under src/ that import each other (a layer running both ways):');
for (const pair of pairs.sort()) console.error(`  ${pair}`);
for (const component of components) console.error(`  cycle through: ${component.join(', ')}`);
console.error('Run `node scripts/check-layers.mjs --edges` to see which files make each edge.');
process.exit(1);
