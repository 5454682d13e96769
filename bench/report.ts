/** Renders `bench/RESULTS.md` from the results `bench/run.ts` collects. */
import type { FleetResult } from "./fleet.ts";
import type { MemoryVerdict } from "./memory.ts";
import type { OverheadResult } from "./overhead.ts";
import type { PipelineResult } from "./pipeline.ts";
import { PIPELINE_STEPS } from "./pipeline.ts";
import type { Bytes, SizeResult } from "./size.ts";

/** Where and with what the bench ran. */
export interface Environment {
  date: string;
  machine: {
    os: string;
    cpuModel: string;
    cpuCount: number;
    totalMemoryBytes: number;
    node: string;
    /** 1, 5 and 15 minute load averages when the run started and ended: a noise hint. */
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  packages: Record<string, string>;
  project: { version: string; commit: string; dirty: boolean };
  /** How the facade under test was obtained. */
  facade: { module: string; build: string };
  payload: { source: string; bytes: number; connectionId: string };
  /** `full` or `quick` (fewer iterations; for trying the harness, not for numbers). */
  profile: string;
}

/** Everything one run produced; a part not run is `null`. */
export interface Results {
  environment: Environment;
  /** The facade entry chunk, gzipped (level 9); also in `size.facade.entry.gzip`. */
  facadeEntryGzipBytes: number | null;
  /** Process warnings during the run, by name (each printed once, then counted). */
  processWarnings: Record<string, number>;
  /** The budget in `bench/size-budget.json`, enforced by `test/size-budget.test.ts`. */
  facadeEntryGzipBudget: number | null;
  ratioDefinition: string;
  size: SizeResult | null;
  overhead: OverheadResult | null;
  memory: MemoryVerdict[] | null;
  pipeline: PipelineResult | null;
  fleet: FleetResult | null;
  durationSeconds: number;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const fixed1 = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const fixed2 = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** A Markdown table. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const align = header.map((_, i) => (i === 0 ? "---" : "---:"));
  return [line(header), line(align), ...rows.map(line)].join("\n");
}

/** Bytes as `12,345 B`. */
const bytes = (value: number) => `${integer.format(value)} B`;

/** Heap bytes as KiB with one decimal. */
const kib = (value: number) => `${fixed1.format(value / 1024)} KiB`;

/** A signed byte count: `+1,234 B` / `−56 B`. */
const signedBytes = (value: number) =>
  `${value < 0 ? "−" : "+"}${integer.format(Math.abs(value))} B`;

/** `raw / gzip` of a chunk, or a dash. */
const sized = (value: Bytes | undefined, key: keyof Bytes) => (value ? bytes(value[key]) : "—");

function overheadSection(overhead: OverheadResult, definition: string): string {
  const parts = [
    "## Per-call overhead",
    "",
    definition,
    "",
    "Ops/s: measured calls ÷ wall time of the measured batches (one call at a time). p50, p99 and mean: over every measured call of every round. Warnings: process warnings (e.g. `MaxListenersExceededWarning`) emitted during the contender's measured calls.",
  ];
  for (const transport of overhead.transports) {
    const { config } = transport;
    parts.push(
      "",
      `### ${transport.transport}: ${transport.label}`,
      "",
      `${config.rounds} rounds × ${integer.format(config.callsPerRound)} calls per contender (after ${integer.format(config.warmupCalls)} warm-up calls each); order reversed on odd rounds.`,
      "",
      table(
        [
          "contender",
          "ops/s",
          "p50 µs",
          "p99 µs",
          "mean µs",
          "× floor (p50)",
          "per-round range",
          "× floor (mean)",
          "+µs vs floor (p50)",
          "warnings",
        ],
        transport.contenders.map((c) => [
          c.name,
          integer.format(c.opsPerSecond),
          fixed2.format(c.p50Us),
          fixed2.format(c.p99Us),
          fixed2.format(c.meanUs),
          `**${fixed2.format(c.ratioP50)}**`,
          `${fixed2.format(c.ratioP50Min)}–${fixed2.format(c.ratioP50Max)}`,
          fixed2.format(c.ratioMean),
          fixed2.format(c.addedP50Us),
          c.warnings === 0 ? "0" : `**${integer.format(c.warnings)}**`,
        ]),
      ),
    );
  }
  return parts.join("\n");
}

function sizeSection(size: SizeResult, budget: number | null): string {
  const { options } = size;
  const rows: string[][] = [
    [
      "**nectar-climate-connection** (`createNectarClient`)",
      sized(size.facade.entry, "raw"),
      `**${sized(size.facade.entry, "gzip")}**`,
      sized(size.facade.validators, "gzip"),
      sized(size.facade.total, "gzip"),
    ],
    ...Object.entries(size.comparisons).map(([name, result]) => [
      name,
      sized(result.entry, "raw"),
      sized(result.entry, "gzip"),
      sized(result.validators, "gzip"),
      sized(result.total, "gzip"),
    ]),
  ];
  return [
    "## Bundle size",
    "",
    `esbuild: bundle ${options.bundle}, minify ${options.minify}, format ${options.format}, platform ${options.platform}, splitting ${options.splitting}; each chunk gzipped (level ${options.gzipLevel}). Entry: \`import { x } from "pkg"; console.log(x)\`. The validators are a dynamic import: their chunk is loaded only with \`validateResponses\` on.`,
    "",
    table(
      [
        "bundle",
        "entry chunk (min)",
        "entry chunk (gzip)",
        "validators chunk (gzip)",
        "all chunks (gzip)",
      ],
      rows,
    ),
    "",
    budget === null
      ? "No budget file."
      : `Budget (\`bench/size-budget.json\`, enforced by \`test/size-budget.test.ts\`): entry chunk ≤ ${bytes(budget)} gzip; measured ${bytes(size.facade.entry.gzip)} (${fixed1.format((size.facade.entry.gzip / budget) * 100)} % of budget).`,
    "",
    "What an import from `nectar-climate-connection/types` adds to the facade entry:",
    "",
    table(
      ["import added", "raw", "gzip", "output byte-identical"],
      size.typesImport.map((cost) => [
        `\`${cost.statement}\``,
        signedBytes(cost.added.raw),
        signedBytes(cost.added.gzip),
        cost.identical ? "yes" : "**no**",
      ]),
    ),
  ].join("\n");
}

function pipelineSection(pipeline: PipelineResult): string {
  const runs = pipeline.runs;
  const header = ["step", ...runs.map((_, i) => `run ${i + 1} ms`), "median ms"];
  const rows = PIPELINE_STEPS.map((step) => [
    step,
    ...runs.map((r) => integer.format(r.steps[step] ?? Number.NaN)),
    `**${integer.format(pipeline.medianSteps[step] ?? Number.NaN)}**`,
  ]);
  rows.push(
    [
      "sum of steps",
      ...runs.map((r) => integer.format(r.stepsTotalMs)),
      `**${integer.format(pipeline.medianStepsTotalMs)}**`,
    ],
    [
      "wall (spawn → exit)",
      ...runs.map((r) => integer.format(r.wallMs)),
      `**${integer.format(pipeline.medianWallMs)}**`,
    ],
  );
  const matches = runs.every((r) => r.matchesCommitted);
  return [
    "## Generate pipeline",
    "",
    `\`${pipeline.command}\`, ${runs.length} runs; step times as the script reports them (\`--timings\`). Output identical to the committed \`generated/\` in every run: ${matches ? "yes" : "**no**"}.`,
    "",
    table(header, rows),
  ].join("\n");
}

function memorySection(memory: MemoryVerdict[]): string {
  const first = memory[0];
  const warmup = first ? integer.format(first.warmupCalls) : "?";
  return [
    "## Memory",
    "",
    `Heap used after full GC (child process with \`--expose-gc\`), one facade client, in-memory fetch. Call counts are after a ${warmup}-call warm-up; "cold" is after the process's first 1 000 calls. Noise: spread of the three baselines (1k, 2k, 3k). Growth: heap(100k) − heap(1k). Target: growth ≤ noise.`,
    "",
    table(
      [
        "validateResponses",
        "cold 1k",
        "1k",
        "2k",
        "3k",
        "50k",
        "100k",
        "noise",
        "growth",
        "per call",
        "≤ noise",
      ],
      memory.map((m) => [
        m.mode,
        kib(m.coldHeap),
        ...m.baselineHeaps.map(kib),
        kib(m.midpointHeap),
        kib(m.finalHeap),
        bytes(m.noise),
        signedBytes(m.growth),
        `${fixed2.format(m.growthPerCall)} B`,
        m.withinNoise ? "yes" : "**no**",
      ]),
    ),
  ].join("\n");
}

/** The Markdown report. */
export function renderMarkdown(results: Results): string {
  const { environment: env } = results;
  const m = env.machine;
  const packages = Object.entries(env.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  const parts = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (`bench/run.ts`); see `bench/README.md` for the method. Rewritten on every run.",
    "",
    `- Date: ${env.date}; profile: ${env.profile}; run took ${fixed1.format(results.durationSeconds)} s`,
    `- Machine: ${m.os}, ${m.cpuCount} × ${m.cpuModel}, ${fixed1.format(m.totalMemoryBytes / 2 ** 30)} GiB, Node ${m.node}`,
    `- Load average (1/5/15 min) at start ${m.loadAverageStart.map((n) => fixed2.format(n)).join(" / ")}, at end ${m.loadAverageEnd.map((n) => fixed2.format(n)).join(" / ")}`,
    `- Project: ${env.project.version} at ${env.project.commit.slice(0, 12)}${env.project.dirty ? " (with uncommitted changes)" : ""}; facade: ${env.facade.module} (${env.facade.build})`,
    `- Packages: ${packages}`,
    `- Payload: \`${env.payload.source}\` (${bytes(env.payload.bytes)} of JSON)`,
  ];
  if (results.overhead) parts.push("", overheadSection(results.overhead, results.ratioDefinition));
  if (results.size) parts.push("", sizeSection(results.size, results.facadeEntryGzipBudget));
  if (results.pipeline) parts.push("", pipelineSection(results.pipeline));
  if (results.memory) parts.push("", memorySection(results.memory));
  const skipped = (
    [
      ["overhead", results.overhead],
      ["size", results.size],
      ["pipeline", results.pipeline],
      ["memory", results.memory],
    ] as const
  )
    .filter(([, part]) => part === null)
    .map(([name]) => name);
  const warnings = Object.entries(results.processWarnings);
  if (warnings.length > 0) {
    parts.push(
      "",
      `Process warnings during the run: ${warnings.map(([name, count]) => `${name} × ${integer.format(count)}`).join(", ")}.`,
    );
  }
  if (skipped.length > 0) parts.push("", `Not run this time: ${skipped.join(", ")}.`);
  return `${parts.join("\n")}\n`;
}
