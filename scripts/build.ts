/**
 * `npm run build`: compiles `src/` into `dist/` (ESM, `.d.ts`, source maps). `dist/` sits beside
 * `generated/`, so `../generated/…` imports resolve the same from `src/` and from `dist/`.
 * The rendered docs (`dist/docs/`) are kept. The Node-only entries (CLI, mock) are then rebuilt as
 * single files (`scripts/bundle-node.ts`), for cold start. Then `scripts/pack-types.ts` assembles the types-only
 * package `nectar-climate-connection-types` in `dist/types-package/`.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { bundleNodeEntries } from "./bundle-node.ts";
import { packTypes } from "./pack-types.ts";
import { projectRoot } from "./paths.ts";

const dist = path.join(projectRoot, "dist");
mkdirSync(dist, { recursive: true });
for (const entry of readdirSync(dist, { withFileTypes: true }).filter((e) => e.name !== "docs")) {
  rmSync(path.join(dist, entry.name), { recursive: true, force: true });
}
const tsc = path.join(projectRoot, "node_modules", "typescript", "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
  cwd: projectRoot,
  stdio: "inherit",
});
await bundleNodeEntries();
chmodSync(path.join(dist, "cli", "index.js"), 0o755); // the package's bin
console.log("build: wrote dist/ (cli/index.js and mock/index.js bundled)");
packTypes();
console.log("build: wrote dist/types-package/");
