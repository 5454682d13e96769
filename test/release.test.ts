/**
 * Releases with Changesets: both packages' changelogs carry their current version; the types
 * package's version comes from `packages/types/package.json` and must keep the spec's
 * major.minor; the pending release is computed on a scratch copy (versions and changelog
 * sections); `sync-version` carries a new version into the source and the lock; and
 * `npm run release:dry` packs both tarballs and prints them with their pending entries.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { typesPackageVersion } from "../scripts/pack-types.ts";
import { pendingRelease, RELEASED } from "../scripts/release-plan.ts";
import { syncVersion } from "../scripts/sync-version.ts";
import { bin, ensureBuilt, root, runOk } from "./helpers/package.ts";

const SLOW = 90_000;
const scratchDirs: string[] = [];

async function scratch(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "nectar-release-test-"));
  scratchDirs.push(dir);
  return dir;
}

async function json(file: string): Promise<{ name: string; version: string }> {
  return JSON.parse(await readFile(file, "utf8")) as { name: string; version: string };
}

/** A copy of the release files with exactly the given changesets pending. */
async function releaseCopy(changesets: Record<string, string>): Promise<string> {
  const dir = await scratch();
  for (const file of ["package.json", "lerna.json", "CHANGELOG.md", "packages/types"]) {
    await cp(path.join(root, file), path.join(dir, file), { recursive: true });
  }
  await mkdir(path.join(dir, ".changeset"));
  await cp(
    path.join(root, ".changeset", "config.json"),
    path.join(dir, ".changeset", "config.json"),
  );
  for (const [name, text] of Object.entries(changesets)) {
    await writeFile(path.join(dir, ".changeset", `${name}.md`), text);
  }
  return dir;
}

afterAll(async () => {
  await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("changelogs", () => {
  test.each(RELEASED)(
    "$name: CHANGELOG.md is headed by the name and holds the current version",
    async ({ name, dir }) => {
      const { version } = await json(path.join(root, dir, "package.json"));
      const changelog = await readFile(path.join(root, dir, "CHANGELOG.md"), "utf8");
      expect(changelog.startsWith(`# ${name}\n`)).toBe(true);
      expect(changelog).toContain(`\n## ${version}\n`);
    },
  );

  test("the repository's pending changesets name only the two packages", async () => {
    const files = (await readdir(path.join(root, ".changeset"))).filter(
      (file) => file.endsWith(".md") && file !== "README.md",
    );
    const names = new Set<string>(RELEASED.map((release) => release.name));
    for (const file of files) {
      const text = await readFile(path.join(root, ".changeset", file), "utf8");
      const header = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
      const packages = [...header.matchAll(/^"([^"]+)":\s*(patch|minor|major)$/gm)].map(
        (m) => m[1],
      );
      expect(packages.length, file).toBeGreaterThan(0);
      for (const pkg of packages) expect(names.has(pkg ?? ""), `${file}: ${pkg}`).toBe(true);
    }
  });
});

describe("the types package's version", () => {
  test("is the manifest's, when its major.minor is the spec's", () => {
    expect(typesPackageVersion("2.2", "2.2.0")).toBe("2.2.0");
    expect(typesPackageVersion("2.2", "2.2.7")).toBe("2.2.7");
  });

  test("fails the build when it disagrees with the spec's API version, saying what to do", () => {
    expect(() => typesPackageVersion("2.3", "2.2.4")).toThrow(
      /spec's API version is 2\.3: the types package's major\.minor must be 2\.3\. Add a changeset/,
    );
    expect(() => typesPackageVersion("2.2", "3.0.0")).toThrow(/must be 2\.2/);
  });
});

describe("the pending release (changeset version on a scratch copy)", () => {
  test(
    "a patch for the types and a minor for the client: 2.2.1 and 0.(x+1).0, with entries",
    async () => {
      const dir = await releaseCopy({
        "types-fix":
          '---\n"nectar-climate-connection-types": patch\n---\n\nFix the docs of `Account`.\n',
        "client-feature":
          '---\n"nectar-climate-connection": minor\n---\n\nAdd `connections.list`.\n',
      });
      const before = await json(path.join(dir, "package.json"));
      const [major, minor] = before.version.split(".").map(Number);
      const plan = await pendingRelease(dir);
      expect(plan).toEqual([
        {
          name: "nectar-climate-connection",
          current: before.version,
          next: `${major}.${(minor ?? 0) + 1}.0`,
          changelog: `## ${major}.${(minor ?? 0) + 1}.0\n\n### Minor Changes\n\n- Add \`connections.list\`.`,
        },
        {
          name: "nectar-climate-connection-types",
          current: "2.2.0",
          next: "2.2.1",
          changelog: "## 2.2.1\n\n### Patch Changes\n\n- Fix the docs of `Account`.",
        },
      ]);
      // The copy is the scratch one: the repository's versions did not move.
      expect((await json(path.join(root, "packages", "types", "package.json"))).version).toBe(
        "2.2.0",
      );
    },
    SLOW,
  );

  test(
    "no changeset: nothing to release",
    async () => {
      const dir = await releaseCopy({});
      const plan = await pendingRelease(dir);
      expect(plan.map((release) => [release.current === release.next, release.changelog])).toEqual([
        [true, ""],
        [true, ""],
      ]);
    },
    SLOW,
  );
});

test("sync-version writes package.json's version into VERSION and package-lock.json", async () => {
  const dir = await scratch();
  await mkdir(path.join(dir, "src"));
  await cp(path.join(root, "package-lock.json"), path.join(dir, "package-lock.json"));
  const pkg = await json(path.join(root, "package.json"));
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ ...pkg, version: "9.8.7" }));
  await writeFile(
    path.join(dir, "src", "constants.ts"),
    '/** v */\nexport const VERSION = "0.0.1";\nexport const X = 1;\n',
  );
  expect(syncVersion(dir)).toBe("9.8.7");
  expect(await readFile(path.join(dir, "src", "constants.ts"), "utf8")).toBe(
    '/** v */\nexport const VERSION = "9.8.7";\nexport const X = 1;\n',
  );
  const lock = JSON.parse(await readFile(path.join(dir, "package-lock.json"), "utf8")) as {
    version: string;
    packages: Record<string, { version?: string }>;
  };
  expect([lock.version, lock.packages[""]?.version]).toEqual(["9.8.7", "9.8.7"]);
});

describe("npm run release:dry", () => {
  beforeAll(ensureBuilt, 180_000);

  test(
    "packs both tarballs and prints name, version, size, files and the pending changelog",
    async () => {
      const plan = await pendingRelease();
      const result = await runOk(
        process.execPath,
        [bin.tsx, "scripts/release-dry.ts", "--no-build"],
        {
          cwd: root,
          timeoutMs: SLOW,
        },
      );
      for (const release of plan) {
        expect(result.stdout).toContain(`${release.name}@${release.current} (`);
        const entry = release.changelog
          .split("\n")
          .map((line) => `    ${line}`.trimEnd())
          .join("\n");
        expect(result.stdout).toContain(release.changelog === "" ? "(none)" : entry);
      }
      expect(result.stdout).toMatch(
        /nectar-climate-connection-\d+\.\d+\.\d+\.tgz, [\d.]+ kB packed/,
      );
      expect(result.stdout).toContain("    dist/index.js (");
      expect(result.stdout).toContain("    schema.d.ts (");
      expect(result.stdout).toContain("nothing is published");
    },
    SLOW,
  );
});
