import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder holding package.json, from src/ (tests) and from dist/src/ (npm start) alike. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
