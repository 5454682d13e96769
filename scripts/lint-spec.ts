/** `npm run lint` (spec half): Redocly's strict ruleset plus our house rules; any finding fails. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { projectRoot, redoclyEnv } from "./paths.ts";

const bin = path.join(projectRoot, "node_modules", "@redocly", "cli", "bin", "cli.js");
const run = spawnSync(process.execPath, [bin, "lint", "nectar", "--format=stylish"], {
  cwd: projectRoot,
  env: redoclyEnv(),
  encoding: "utf8",
});
// Redocly prints a Node 20 deprecation box on stderr on every run: show its output only on failure.
// Warnings fail too: the ruleset is strict on purpose.
if (run.status === 0 && !/\bwarning/i.test(run.stdout)) {
  console.log("redocly lint: 0 errors, 0 warnings");
} else {
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exitCode = 1;
}
