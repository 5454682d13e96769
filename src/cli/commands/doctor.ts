/**
 * `nectar-connection doctor`: what a support ticket needs, in one run: whether the key is
 * accepted (never the key, nor any part of it), the base URL, the versions, the clock skew from
 * the server's `Date`, the proxy settings, and the latency of one `GET /ping`.
 */
import { REQUEST_OPTIONS, requestOptionsHelp } from "../args.js";
import { type DoctorReport, pingOnce, reportOf } from "../doctor-report.js";
import { PROGRAM, usageError } from "../io.js";
import { withSession } from "../session.js";
import { jsonText } from "../text.js";
import type { CliCommand } from "./command.js";

/** Beyond this skew, webhook signatures (±5 minutes) are refused. */
const WEBHOOK_TOLERANCE_S = 300;

/** The key's line. */
function keyLine(report: DoctorReport): string {
  const state =
    report.accepted === true ? "accepted" : report.accepted === false ? "refused" : "not checked";
  return `${state} (from ${report.keySource}; the key is never shown)`;
}

/** The clock's line. */
function clockLine(skew: number | null): string {
  if (skew === null) return "unknown (no answer with a Date header)";
  const side = skew > 0 ? "behind" : "ahead of";
  const text =
    skew === 0 ? "in step with Nectar's clock" : `${Math.abs(skew)} s ${side} Nectar's clock`;
  const warning =
    Math.abs(skew) > WEBHOOK_TOLERANCE_S
      ? "; webhook signatures allow 5 minutes: fix the clock"
      : "";
  return `this machine is ${text} (±0.5 s, from the Date header)${warning}`;
}

/** The proxy's line. */
function proxyLine(report: DoctorReport): string {
  if (report.proxy.length === 0) return "none set in the environment";
  const settings = report.proxy.map(({ name, value }) => `${name}=${value}`).join(", ");
  const route = report.proxyRoute === null ? "direct" : `through ${report.proxyRoute}`;
  return `${settings}; requests to the base URL go ${route}`;
}

/** The report as lines for a person. */
export function doctorText(report: DoctorReport): string {
  const { versions } = report;
  const rows: [string, string][] = [
    ["API key", keyLine(report)],
    ["Base URL", `${report.baseUrl} (from ${report.baseUrlSource})`],
    [
      "Versions",
      `nectar-climate-connection ${versions.package}, Node ${versions.node}, ${versions.platform}`,
    ],
    ["Clock", clockLine(report.clockSkewSeconds)],
    ["Proxy", proxyLine(report)],
    [
      "Latency",
      report.latencyMs === null
        ? "unknown (no answer)"
        : `${report.latencyMs} ms (one GET /ping, no retry)`,
    ],
  ];
  if (report.problem !== null) rows.push(["Problem", report.problem]);
  return `${rows.map(([label, value]) => `${`${label}:`.padEnd(11)}${value}`).join("\n")}\n`;
}

/** The `doctor` command. */
export const doctor: CliCommand = {
  name: "doctor",
  synopsis: `  doctor           Check the key and the setup (for a support ticket): key accepted or not,
                   base URL, versions, clock skew, proxy, latency; the key is never shown`,
  help: `Usage: ${PROGRAM} doctor [options]

Check the key and the setup with one GET /ping (one attempt, no retry), and print what a
support ticket needs: whether the key is accepted (never the key, nor any part of it), the
base URL and where it came from, this package's and Node's versions, this machine's clock
skew from the server's Date header (webhook signatures allow 5 minutes), the proxy variables
set in the environment (credentials redacted), and the latency of the call.

${requestOptionsHelp("  --json             The report as one JSON object\n")}

Exit codes: 0 the key was accepted, 1 unexpected failure, 2 usage (no key given),
3 the key was refused or Nectar answered with another error, 4 network or timeout,
130 interrupted (Ctrl-C), 141 output closed, 143 terminated (SIGTERM).

Example:
  ${PROGRAM} doctor --mock
`,
  options: { ...REQUEST_OPTIONS, json: { type: "boolean" } },
  async run(invocation, context) {
    const { values, positionals } = invocation;
    if (positionals.length > 0) throw usageError("doctor takes no arguments");
    const { io, out, mask } = context;
    const report = await withSession(values, context, async ({ client }) =>
      reportOf(await pingOnce(client, io.now ?? Date.now, mask), client, values, io),
    );
    out.stdout(values.json === true ? `${jsonText(report)}\n` : doctorText(report));
    return report.exitCode;
  },
};
