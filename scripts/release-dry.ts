/**
 * `npm run release:dry`: builds both packages, packs both tarballs into `.tmp/release/`, and
 * prints what `npm publish` would ship (name, version, size, every file) with the version and
 * changelog section the pending changesets would give each package. Publishes nothing, changes
 * nothing outside `dist/` and `.tmp/`; needs no network. `--no-build` packs the current `dist/`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "./paths.ts";
import { type PlannedRelease, pendingRelease } from "./release-plan.ts";

/** What `npm pack --json` reports of a tarball. */
interface Packed {
  name: string;
  version: string;
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** Packs `dir` into `out`, as `npm publish` would pack it. */
function pack(dir: string, out: string): Packed {
  const stdout = execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [packed] = JSON.parse(stdout) as Packed[];
  if (packed === undefined) throw new Error(`npm pack in ${dir} reported nothing`);
  return packed;
}

/** The report of one package, as printed. */
export function describeRelease(
  packed: Packed,
  plan: PlannedRelease | undefined,
  out: string,
): string {
  const next =
    plan === undefined || plan.next === plan.current
      ? "no pending changeset"
      : `${plan.next} after \`npm run release:version\``;
  const lines = [
    `${packed.name}@${packed.version} (${next})`,
    `  tarball: ${path.relative(projectRoot, path.join(out, packed.filename))}, ${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked, ${packed.entryCount} files`,
    ...packed.files.map((file) => `    ${file.path} (${kB(file.size)})`),
    "  pending changelog:",
    ...(plan?.changelog
      ? plan.changelog.split("\n").map((line) => `    ${line}`.trimEnd())
      : ["    (none)"]),
  ];
  return lines.join("\n");
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === path.join(projectRoot, "scripts", "release-dry.ts")
) {
  const { values } = parseArgs({ options: { "no-build": { type: "boolean", default: false } } });
  if (!values["no-build"]) {
    const tsx = path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs");
    execFileSync(process.execPath, [tsx, "scripts/build.ts"], {
      cwd: projectRoot,
      stdio: "ignore",
    });
  }
  const out = path.join(projectRoot, ".tmp", "release");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const plans = await pendingRelease();
  const tarballs = [
    pack(projectRoot, out),
    pack(path.join(projectRoot, "dist", "types-package"), out),
  ];
  console.log("Dry run: nothing is published. `npm publish` would ship:\n");
  for (const packed of tarballs) {
    console.log(
      describeRelease(
        packed,
        plans.find((plan) => plan.name === packed.name),
        out,
      ),
    );
    console.log("");
  }
  console.log(
    "To release: `npm run release:version` (applies the changesets), commit, `npm test`, then `npm publish` and `npm publish dist/types-package`.",
  );
}
