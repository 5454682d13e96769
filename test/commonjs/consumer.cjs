/**
 * A CommonJS consumer of the packed tarball (`test/commonjs.test.ts`): every entry is loaded
 * with `require()`, the client retrieves a connection from the tarball's own mock server, a 404
 * is caught as `NectarNotFoundError`, and `import()` of the same entry must give the very module
 * `require()` gave (one copy, no dual-package hazard). Reports what it saw as one JSON line.
 */
"use strict";
const library = require("nectar-climate-connection");
const mock = require("nectar-climate-connection/mock");
const validators = require("nectar-climate-connection/validators");
const types = require("nectar-climate-connection/types");
const { report } = require("./report.cjs");

async function main() {
  const imported = await import("nectar-climate-connection");
  const line = await report(library, mock, {
    system: "commonjs",
    oneCopy: imported === library,
    validators: Object.keys(validators).sort(),
    typesEntryKeys: Object.keys(types),
  });
  console.log(JSON.stringify(line));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
