// Prints vitest's JSON report as the plain line CI reads: "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";

const file = process.argv[2] ?? ".tmp/vitest.json";
if (!existsSync(file)) {
  console.log("0 passed, 1 failed");
  console.error(`no test report at ${file}: the test command stopped before vitest ran`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, "utf8"));
// A file that failed without a failing test (it did not load, a hook threw) counts once.
const brokenFiles = report.testResults.filter(
  (file) => file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed"),
).length;
const failed = report.numFailedTests + brokenFiles;
console.log(`${report.numPassedTests} passed, ${failed} failed`);
if (report.numTotalTests === 0 || failed > 0) process.exit(1);
