/**
 * The pending release, as Changesets would make it: the repository's release files
 * (`package.json`, `lerna.json`, `.changeset/`, both `CHANGELOG.md` and
 * `packages/types/package.json`) are copied to a scratch folder outside the repository, where
 * `changeset version` runs; the versions and changelog sections it writes there are the plan.
 * Nothing in the repository changes. Used by `scripts/release-dry.ts`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectRoot } from "./paths.ts";

/** The packages Changesets versions: where their manifest and changelog live. */
export const RELEASED = [
  { name: "nectar-climate-connection", dir: "." },
  { name: "nectar-climate-connection-types", dir: "packages/types" },
] as const;

/** What the pending changesets do to one package. */
export interface PlannedRelease {
  name: string;
  /** The version in the repository now. */
  current: string;
  /** The version after `npm run release:version` (equal to `current` when nothing is pending). */
  next: string;
  /** The changelog section `changeset version` would add, or "" when nothing is pending. */
  changelog: string;
}

const RELEASE_FILES = [
  "package.json",
  "lerna.json",
  ".changeset",
  "CHANGELOG.md",
  "packages/types/package.json",
  "packages/types/CHANGELOG.md",
];

function versionIn(dir: string): string {
  return String(
    (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: unknown })
      .version,
  );
}

/** The section `changeset version` put on top of a changelog: up to the `current` version's. */
function addedSection(after: string, current: string): string {
  const start = after.indexOf("\n## ");
  if (start === -1) return "";
  const end = after.indexOf(`\n## ${current}\n`, start + 1);
  return after.slice(start + 1, end === -1 ? undefined : end).trim();
}

/** Runs `changeset version` on a scratch copy of `root`'s release files and reads the result. */
export async function pendingRelease(root: string = projectRoot): Promise<PlannedRelease[]> {
  const scratch = mkdtempSync(path.join(tmpdir(), "nectar-release-"));
  try {
    for (const file of RELEASE_FILES) {
      const from = path.join(root, file);
      if (existsSync(from)) await cp(from, path.join(scratch, file), { recursive: true });
    }
    const changeset = path.join(projectRoot, "node_modules", "@changesets", "cli", "bin.js");
    execFileSync(process.execPath, [changeset, "version"], { cwd: scratch, stdio: "pipe" });
    return RELEASED.map(({ name, dir }) => {
      const changelogFile = path.join(scratch, dir, "CHANGELOG.md");
      const changelog = existsSync(changelogFile) ? readFileSync(changelogFile, "utf8") : "";
      const current = versionIn(path.join(root, dir));
      const next = versionIn(path.join(scratch, dir));
      return {
        name,
        current,
        next,
        changelog: next === current ? "" : addedSection(changelog, current),
      };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
