/**
 * What `npm run setup` needs from the system that npm cannot install, and what to do when some
 * of it is missing. Pure: the facts come in, a plan comes out (`scripts/setup-system.ts` gathers
 * the facts and carries the plan out; `test/setup-system.test.ts` checks every branch).
 */

/** One system program the tests need, and the Debian package that provides it. */
export interface SystemDependency {
  /** What it is for, in the one-line message. */
  purpose: string;
  /** The Debian package that installs it. */
  aptPackage: string;
}

/** Chromium at this path drives the browser test of the rendered docs (`test/docs.test.ts`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** The programs the tests need, keyed by how they are looked up: an absolute path or a name. */
export const SYSTEM_DEPENDENCIES: Readonly<Record<string, SystemDependency>> = {
  [CHROMIUM_PATH]: { purpose: "the docs' browser test", aptPackage: "chromium" },
  curl: { purpose: "the curl code samples", aptPackage: "curl" },
};

/** What the set-up found on this machine. */
export interface SystemFacts {
  /** The keys of {@link SYSTEM_DEPENDENCIES} that were not found. */
  missing: readonly string[];
  /** Whether this process runs as root (uid 0). */
  isRoot: boolean;
  /** Whether `apt-get` is on the PATH. */
  hasAptGet: boolean;
}

/** The decision: nothing to do, install with apt-get, or stop with one line saying what to run. */
export type SystemPlan =
  | { action: "ready" }
  | { action: "install"; packages: string[]; commands: string[][] }
  | { action: "instruct"; packages: string[]; message: string };

/** The apt-get command lines that install `packages`, as argument vectors. */
export function aptCommands(packages: readonly string[]): string[][] {
  return [
    ["apt-get", "update", "-qq"],
    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...packages],
  ];
}

/**
 * Decides what the set-up does about missing system programs. It installs them only when it
 * may (root, with apt-get); otherwise it asks for them in one line and the set-up fails, because
 * a set-up that succeeds and leaves `npm test` to fail later is worse than one that stops here.
 */
export function planSystemSetup(facts: SystemFacts): SystemPlan {
  const needed = facts.missing.filter((key) => SYSTEM_DEPENDENCIES[key] !== undefined);
  if (needed.length === 0) return { action: "ready" };
  const packages = [...new Set(needed.map((key) => SYSTEM_DEPENDENCIES[key]?.aptPackage ?? ""))];
  if (facts.isRoot && facts.hasAptGet) {
    return { action: "install", packages, commands: aptCommands(packages) };
  }
  const what = needed.map((key) => `${key} (${SYSTEM_DEPENDENCIES[key]?.purpose})`).join(", ");
  const sudo = facts.isRoot ? "" : "sudo ";
  const how = facts.hasAptGet
    ? `run: ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${packages.join(" ")}`
    : `install ${packages.join(" and ")} with your system's package manager (Chromium must be at ${CHROMIUM_PATH})`;
  return {
    action: "instruct",
    packages,
    message: `npm run setup: missing ${what}; ${how}, then run npm run setup again.`,
  };
}
