/**
 * Public-API reports (`@microsoft/api-extractor`) of the built packages, committed in `api/`:
 * `nectar-climate-connection.api.md` (the client entry), `nectar-climate-connection.mock.api.md`
 * (`./mock`) and `nectar-climate-connection-types.api.md` (the types package). Each report lists
 * every exported declaration's signature, so a change to the public types shows in review.
 *
 * `npm run api:update` (`--update`) rewrites the reports from `dist/` (build first);
 * `tsx scripts/api-report.ts` checks them and exits 1 when one is stale, naming it (the test
 * `test/api-report.test.ts` runs the check in `npm test`). `--reports DIR` compares with the
 * reports in another folder, `--only FILE` (repeatable) limits the run to those reports.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type ExtractorMessage,
} from "@microsoft/api-extractor";
import { projectRoot } from "./paths.ts";

/** One report: a package folder, its entry declaration file, the report's name. */
interface Report {
  /** The folder holding the package's `package.json`. */
  packageFolder: string;
  /** The `exports` key of the entry, e.g. `.` or `./mock`. */
  entry: string;
  /** The report file in `api/`. */
  file: string;
}

/** The reports, one per public entry with JavaScript or types of its own. */
export const REPORTS: readonly Report[] = [
  { packageFolder: projectRoot, entry: ".", file: "nectar-climate-connection.api.md" },
  { packageFolder: projectRoot, entry: "./mock", file: "nectar-climate-connection.mock.api.md" },
  {
    packageFolder: projectRoot,
    entry: "./validators",
    file: "nectar-climate-connection.validators.api.md",
  },
  {
    packageFolder: path.join(projectRoot, "dist", "types-package"),
    entry: ".",
    file: "nectar-climate-connection-types.api.md",
  },
];

/** The `.d.ts` file the package's `exports` name for `entry` (its `types` condition). */
function typesOf(report: Report): string {
  const manifest = JSON.parse(
    readFileSync(path.join(report.packageFolder, "package.json"), "utf8"),
  ) as {
    exports?: Record<string, { types?: string } | string>;
  };
  const target = manifest.exports?.[report.entry];
  if (typeof target !== "object" || typeof target.types !== "string") {
    throw new Error(`${report.packageFolder}/package.json exports no types for ${report.entry}`);
  }
  return path.join(report.packageFolder, target.types);
}

/** Where the committed reports live. */
export const apiFolder = path.join(projectRoot, "api");

/** api-extractor's settings for one report; messages go into the report, not the console. */
function configFor(report: Report, reportFolder: string): ExtractorConfig {
  const entry = typesOf(report);
  const inReport = { logLevel: ExtractorLogLevel.None, addToApiReportFile: true };
  return ExtractorConfig.prepare({
    configObjectFullPath: path.join(report.packageFolder, "api-extractor.json"),
    packageJsonFullPath: path.join(report.packageFolder, "package.json"),
    configObject: {
      projectFolder: report.packageFolder,
      mainEntryPointFilePath: entry,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            lib: ["ES2023", "DOM"],
            types: ["node"],
            typeRoots: [path.join(projectRoot, "node_modules", "@types")],
            strict: true,
            skipLibCheck: true,
          },
          files: [entry],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: report.file,
        reportFolder,
        reportTempFolder: path.join(projectRoot, ".tmp", "api"),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: "lf",
      messages: {
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
        // Release tags (@public, @beta) are not used here: every export is public.
        extractorMessageReporting: {
          default: inReport,
          "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
        },
        // Doc-comment syntax is not API: left out, so a JSDoc edit does not touch the reports.
        tsdocMessageReporting: {
          default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
        },
      },
    },
  });
}

/** The outcome of one report. */
export interface ReportOutcome {
  file: string;
  /** False when the committed report differs from the build's API (check mode). */
  upToDate: boolean;
  /** Compiler or extractor errors, as text. */
  errors: string[];
}

/**
 * Runs api-extractor for every report (or those named in `only`) against the reports in
 * `reportFolder`; `update` writes the reports instead of comparing.
 */
export function runReports(
  update: boolean,
  reportFolder = apiFolder,
  only?: string[],
): ReportOutcome[] {
  mkdirSync(reportFolder, { recursive: true });
  const chosen = REPORTS.filter((report) => only === undefined || only.includes(report.file));
  return chosen.map((report) => {
    const errors: string[] = [];
    const result = Extractor.invoke(configFor(report, reportFolder), {
      localBuild: update,
      messageCallback: (message: ExtractorMessage) => {
        if (message.logLevel === ExtractorLogLevel.Error)
          errors.push(message.formatMessageWithLocation(projectRoot));
        message.handled = true;
      },
    });
    return { file: report.file, upToDate: !result.apiReportChanged, errors };
  });
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === path.join(projectRoot, "scripts", "api-report.ts")
) {
  const { values } = parseArgs({
    options: {
      update: { type: "boolean", default: false },
      reports: { type: "string" },
      only: { type: "string", multiple: true },
    },
  });
  const folder = values.reports === undefined ? apiFolder : path.resolve(values.reports);
  const outcomes = runReports(values.update, folder, values.only);
  for (const { file, upToDate, errors } of outcomes) {
    for (const error of errors) console.error(`${file}: ${error}`);
    if (values.update) console.log(`api-report: wrote api/${file}`);
    else if (!upToDate) {
      console.error(
        `api/${file} is stale: the public API of the build changed. Run \`npm run api:update\` (after \`npm run build\`) and commit the report.`,
      );
    }
  }
  const failed = outcomes.some(
    (outcome) => outcome.errors.length > 0 || (!values.update && !outcome.upToDate),
  );
  if (!failed && !values.update) console.log("api-report: every report is up to date");
  process.exitCode = failed ? 1 : 0;
}
