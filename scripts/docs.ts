/**
 * `npm run docs`: renders the bundled spec as a self-contained HTML API reference,
 * `dist/docs/index.html` (Redoc inlined, so it works offline). `--out FILE` writes elsewhere.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { projectRoot, redoclyEnv } from "./paths.ts";

const { values: flags } = parseArgs({ options: { out: { type: "string" } } });
const output = path.resolve(flags.out ?? path.join(projectRoot, "dist", "docs", "index.html"));
const bin = path.join(projectRoot, "node_modules", "@redocly", "cli", "bin", "cli.js");
const run = spawnSync(
  process.execPath,
  [
    bin,
    "build-docs",
    "generated/openapi.json",
    "--inlineBundle",
    "--output",
    output,
    "--title",
    "Nectar Climate connections API reference",
  ],
  { cwd: projectRoot, env: redoclyEnv(), encoding: "utf8" },
);
if (run.status === 0) {
  // Redoc's sidebar credit loads a logo from Redocly's CDN on every view: the page must not
  // reach the network, so the image becomes an empty inline SVG.
  const html = readFileSync(output, "utf8").replace(
    /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g,
    "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E",
  );
  writeFileSync(output, html);
  console.log(`docs: wrote ${path.relative(process.cwd(), output)}`);
} else {
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exitCode = 1;
}
