/**
 * The ES-module twin of `consumer.cjs` (`test/commonjs.test.ts`): the same entries by `import`,
 * the same calls against the tarball's mock server, and `createRequire` of the same entry must
 * give the very module `import` gave. Reports what it saw as one JSON line.
 */
import { createRequire } from "node:module";
import * as library from "nectar-climate-connection";
import * as mock from "nectar-climate-connection/mock";
import * as types from "nectar-climate-connection/types";
import * as validators from "nectar-climate-connection/validators";
import report from "./report.cjs";

const required = createRequire(import.meta.url)("nectar-climate-connection");
const line = await report.report(library, mock, {
  system: "module",
  oneCopy: required === library,
  validators: Object.keys(validators).sort(),
  typesEntryKeys: Object.keys(types),
});
console.log(JSON.stringify(line));
