// Prints vitest's JSON report as the plain line CI reads: "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";

const file = process.argv[2] ?? ".tmp/vitest.json";
if (!existsSync(file)) {
  console.log("0 passed, 1 failed");
  console.error(`no test report at ${file}: the test command stopped before vitest ran`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, "utf8"));
const failed = report.numFailedTests + (report.numFailedTestSuites ?? 0);
console.log(`${report.numPassedTests} passed, ${failed} failed`);
if (report.numTotalTests === 0 || failed > 0) process.exit(1);
