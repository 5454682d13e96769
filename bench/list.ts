/**
 * The list (`--only list`): finding every connection that needs its user in a company of about
 * 10 000 connections of the mock (20 ms latency per answer, cap 10), through `connections.list`
 * (one unfiltered walk filtered here, and one filtered walk per status) against `retrieveMany`
 * over the company's ids, requests and wall time in the same run; and the memory of `list` over
 * 100 000 connections served by a loopback list server (in a child process with `--expose-gc`,
 * `bench/list-memory-worker.ts`). The CLI's ways (`check --company` against `check --file`) and
 * the peak RSS of the CLI's `list` over the same 100 000 connections are `bench/list-cli.ts`'s.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { benchDir, type FacadeModule, round, run } from "./common.ts";
import { type CliListMemory, cliDiscovery, cliListMemory } from "./list-cli.ts";

const LATENCY_MS = 20;
/** Generated connections: spread over four companies, about 10 000 each. */
const FLEET = 40_000;
const MEMORY_CONNECTIONS = 100_000;
/** The statuses whose connection needs its user (`connectionHealth`'s `needs_user_action`). */
const NEEDS_USER = [
  "PASSWORD_INCORRECT",
  "MFA_TOKEN_EXPIRED",
  "NEW_PASSWORD_NEEDED",
  "ADDITIONAL_CREDENTIALS_NEEDED",
] as const;

/** One way of finding the connections that need their user. */
export interface DiscoveryRun {
  label: string;
  connections: number;
  found: number;
  requests: number;
  wallMs: number;
}

/** The heap and RSS of one walk through 100 000 connections. */
export interface ListMemory {
  connections: number;
  baselineHeaps: number[];
  finalHeap: number;
  growth: number;
  noise: number;
  withinNoise: boolean;
  rssPeakGrowth: number;
  seconds: number;
}

/** Everything this part measured. */
export interface ListResult {
  latencyMs: number;
  discovery: DiscoveryRun[];
  memory: ListMemory;
  /** Peak RSS of the CLI's `list` over the same connections, per format. */
  cliMemory: CliListMemory[];
}

type MockModule = typeof import("../src/mock/index.ts");
type Client = ReturnType<FacadeModule["createNectarClient"]>;

/** Times `find` against `mock`, counting the requests it sent. */
async function timed(
  label: string,
  mock: { stats: { requests: number } },
  connections: number,
  find: () => Promise<number>,
): Promise<DiscoveryRun> {
  const before = mock.stats.requests;
  const started = performance.now();
  const found = await find();
  const wallMs = round(performance.now() - started, 0);
  return { label, connections, found, requests: mock.stats.requests - before, wallMs };
}

/** The three ways, against one mock company. */
async function discovery(
  facade: FacadeModule,
  mockModule: MockModule,
  log: (line: string) => void,
) {
  const mock = await mockModule.startMockServer({
    connections: [],
    fleet: { size: FLEET, seed: 1 },
    latencyMs: LATENCY_MS,
  });
  try {
    const client: Client = facade.createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url });
    const companyId = mock.companyIds[0] ?? "";
    const ids = (await client.connections.list(companyId).toArray({ max: FLEET })).map((c) => c.id);
    const needsUser = (status: string | undefined) =>
      facade.connectionHealth(status).group === "needs_user_action";
    const runs: DiscoveryRun[] = [];
    log(`list: a company of ${ids.length} connections, ${LATENCY_MS} ms per answer…`);
    runs.push(
      await timed("list, one walk (500 a page), filtered here", mock, ids.length, async () => {
        let found = 0;
        for await (const c of client.connections.list(companyId)) if (needsUser(c.status)) found++;
        return found;
      }),
    );
    runs.push(
      await timed("list, one walk per needs-user status", mock, ids.length, async () => {
        const counts = await Promise.all(
          NEEDS_USER.map(
            async (status) =>
              (await client.connections.list(companyId, { status }).toArray()).length,
          ),
        );
        return counts.reduce((a, b) => a + b, 0);
      }),
    );
    runs.push(
      await timed("retrieveMany over the company's ids", mock, ids.length, async () => {
        let found = 0;
        for await (const result of client.connections.retrieveMany(ids)) {
          if (result.ok && needsUser(result.connection.status)) found++;
        }
        return found;
      }),
    );
    log("list: the CLI's ways, each in its own process…");
    runs.push(...(await cliDiscovery(mock, companyId, ids, NEEDS_USER)));
    for (const r of runs)
      log(`list: ${r.label}: ${r.found} found, ${r.requests} requests, ${r.wallMs} ms`);
    return runs;
  } finally {
    await mock.close();
  }
}

/** A connection of the virtual list, built when its page is asked for. */
function connectionAt(index: number): Record<string, unknown> {
  const hex = index.toString(16).padStart(12, "0");
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    created: "2024-01-01T00:00:00Z",
    publicCompanyId: "acme",
    connectionMagicLinkSecret: `gAAAAABbench${hex}`,
    statusLastUpdateTime: "2025-11-30T06:00:00Z",
    statusFirstSeenTime: "2025-10-01T06:00:00Z",
    statusErrorDetail: null,
    updated: "2025-11-30T06:00:00Z",
    datasource: { name: "Pacific Gas and Electric", url: "https://www.pge.com" },
    accounts: [],
    company: { id: "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", name: "Acme", externalId: "acme" },
    url: "https://m.pge.com/#login",
    status: "CONNECTED",
    country: "US",
    initialSites: ["2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b"],
    initialDatasourceTypes: ["ELECTRICITY"],
    username: `facilities+${index}@acme.example`,
    workflowOwnerEmail: "energy.manager@acme.example",
    dataCollectionStartDate: "2024-01-01",
    multiplyByOccupancy: false,
  };
}

/** The company of the virtual list (any id is answered). */
const MEMORY_COMPANY = "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

/**
 * Runs the memory worker, then the CLI's `list` in each format, against a list server of
 * 100 000 connections with Nectar's paging.
 */
async function memoryRun(): Promise<{ memory: ListMemory; cliMemory: CliListMemory[] }> {
  const server = createServer((request, response) => {
    const params = new URL(request.url ?? "/", "http://list.invalid").searchParams;
    const limit = Number(params.get("limit") ?? 100);
    const totalPages = Math.ceil(MEMORY_CONNECTIONS / limit);
    const currentPage = Math.min(Number(params.get("page") ?? 1), totalPages);
    const start = (currentPage - 1) * limit;
    const connections = [];
    for (let i = start; i < Math.min(start + limit, MEMORY_CONNECTIONS); i++)
      connections.push(connectionAt(i));
    const body = JSON.stringify({
      totalConnections: MEMORY_CONNECTIONS,
      perPage: limit,
      totalPages,
      currentPage,
      hasNext: currentPage < totalPages,
      hasPrevious: currentPage > 1,
      connections,
    });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const stdout = await run(process.execPath, [
      "--expose-gc",
      "--import",
      "tsx",
      path.join(benchDir, "list-memory-worker.ts"),
      `http://127.0.0.1:${port}/v2.2`,
    ]);
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as {
      done: number;
      checkpoints: { connections: number; heapUsed: number }[];
      rssStart: number;
      rssPeak: number;
      seconds: number;
    };
    const heaps = result.checkpoints.map((c) => c.heapUsed);
    const baselineHeaps = heaps.slice(0, 3);
    const finalHeap = heaps.at(-1) ?? Number.NaN;
    const noise = Math.max(...baselineHeaps) - Math.min(...baselineHeaps);
    const growth = finalHeap - (baselineHeaps[0] ?? Number.NaN);
    const cliMemory = await cliListMemory(
      `http://127.0.0.1:${port}/v2.2`,
      MEMORY_COMPANY,
      MEMORY_CONNECTIONS,
    );
    const memory = {
      connections: result.done,
      baselineHeaps,
      finalHeap,
      growth,
      noise,
      withinNoise: growth <= Math.max(noise, 1 << 20),
      rssPeakGrowth: result.rssPeak - result.rssStart,
      seconds: result.seconds,
    };
    return { memory, cliMemory };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Runs every list measurement; `log` prints progress. */
export async function runList(
  facade: FacadeModule,
  log: (line: string) => void,
): Promise<ListResult> {
  // A string-typed specifier: the types come from src/ (MockModule), whatever dist/ holds now.
  const mockSpecifier: string = "nectar-climate-connection/mock";
  const mockModule: MockModule = await import(mockSpecifier);
  const found = await discovery(facade, mockModule, log);
  log(`list: memory over ${MEMORY_CONNECTIONS} connections…`);
  const { memory, cliMemory } = await memoryRun();
  for (const m of cliMemory)
    log(`list: CLI list --${m.format}: peak RSS ${m.peakRssMb} MB, ${m.seconds} s`);
  log(
    `list: heap growth ${memory.growth} B (noise ${memory.noise} B), RSS peak +${round(memory.rssPeakGrowth / 1048576, 1)} MiB, ${memory.seconds} s`,
  );
  return { latencyMs: LATENCY_MS, discovery: found, memory, cliMemory };
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** The list section of `RESULTS.md`. */
export function listSection(result: ListResult): string {
  const table = (header: string[], rows: string[][]) =>
    [header, header.map((_, i) => (i === 0 ? "---" : "---:")), ...rows]
      .map((cells) => `| ${cells.join(" | ")} |`)
      .join("\n");
  const { memory } = result;
  return [
    "## List",
    "",
    `Finding every connection that needs its user in one company of the mock (${result.latencyMs} ms latency per answer, client cap 10), the three ways in the same run.`,
    "",
    table(
      ["way", "connections", "found", "requests", "wall"],
      result.discovery.map((d) => [
        d.label,
        integer.format(d.connections),
        integer.format(d.found),
        integer.format(d.requests),
        `${integer.format(d.wallMs)} ms`,
      ]),
    ),
    "",
    `Memory of \`list\` over ${integer.format(memory.connections)} connections (a loopback server, 500 a page, \`for await\`, \`--expose-gc\`): heap after a full collection at 5 000, 10 000 and 15 000 connections (baselines) and at the end; RSS peak above the start.`,
    "",
    table(
      [
        "connections",
        "heap at 5 000",
        "heap at the end",
        "growth",
        "baseline noise",
        "within noise",
        "RSS peak",
        "time",
      ],
      [
        [
          integer.format(memory.connections),
          mib(memory.baselineHeaps[0] ?? Number.NaN),
          mib(memory.finalHeap),
          `${integer.format(memory.growth)} B`,
          `${integer.format(memory.noise)} B`,
          memory.withinNoise ? "yes" : "no",
          `+${mib(memory.rssPeakGrowth)}`,
          `${memory.seconds} s`,
        ],
      ],
    ),
    "",
    `Peak RSS of the CLI's \`list\` over the same ${integer.format(memory.connections)} connections (the built CLI in its own process, output to /dev/null, \`process.resourceUsage().maxRSS\` at exit): NDJSON and CSV keep nothing per row, the table keeps each row (about 25 bytes) to sort them.`,
    "",
    table(
      ["format", "connections", "peak RSS", "wall"],
      result.cliMemory.map((m) => [
        m.format,
        integer.format(m.connections),
        `${m.peakRssMb} MB`,
        `${m.seconds} s`,
      ]),
    ),
    "",
  ].join("\n");
}
