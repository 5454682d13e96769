/**
 * Where `npm run bench` writes: by default under `.tmp/bench/` (gitignored), so a run never
 * dirties the work tree; with `--update`, the committed `bench/results.json` and
 * `bench/RESULTS.md`.
 */
import path from "node:path";
import { benchDir, projectRoot } from "./common.ts";

/** The two files a run writes. */
export interface OutputPaths {
  json: string;
  markdown: string;
}

/** The untracked directory a default run writes to. */
export const SCRATCH_DIR = path.join(projectRoot, ".tmp", "bench");

/** The files a run writes: the committed ones with `update`, else the scratch ones. */
export function outputPaths(update: boolean): OutputPaths {
  const dir = update ? benchDir : SCRATCH_DIR;
  return { json: path.join(dir, "results.json"), markdown: path.join(dir, "RESULTS.md") };
}
