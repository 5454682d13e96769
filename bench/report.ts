/** Renders `bench/RESULTS.md` from the results `bench/run.ts` collects. */
import type { ColdStartResult } from "./cold-start.ts";
import type { FleetResult } from "./fleet.ts";
import type { ListResult } from "./list.ts";
import type { MemoryVerdict } from "./memory.ts";
import type { MemoryFetchCheck } from "./memory-fetch.ts";
import type { Comparison, Noise } from "./noise.ts";
import type { OverheadResult } from "./overhead.ts";
import type { PipelineResult } from "./pipeline.ts";
import { PIPELINE_STEPS } from "./pipeline.ts";
import type { Bytes, SizeResult } from "./size.ts";
import type { ModuleBytes } from "./size-single.ts";
import type { ThroughputResult } from "./throughput.ts";
import type { WebhookResult } from "./webhooks.ts";

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
  /** The in-memory fetch compared with Node's (abort listeners left on the signal). */
  memoryFetchCheck: MemoryFetchCheck | null;
  overhead: OverheadResult | null;
  throughput: ThroughputResult | null;
  coldStart: ColdStartResult | null;
  memory: MemoryVerdict[] | null;
  pipeline: PipelineResult | null;
  fleet: FleetResult | null;
  list: ListResult | null;
  webhooks: WebhookResult | null;
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

/** A Markdown table: the first column and those in `left` left-aligned, the rest right-aligned. */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  left: readonly number[] = [],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const align = header.map((_, i) => (i === 0 || left.includes(i) ? "---" : "---:"));
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

/** A ratio, bold, or marked "within noise" when the run cannot tell it from 1. */
const ratioCell = (ratio: number, within: boolean) =>
  within ? `${fixed2.format(ratio)} (within noise)` : `**${fixed2.format(ratio)}**`;

/** A comparison with another contender, or a dash. */
const comparisonCell = (comparison: Comparison | null) =>
  comparison ? `${ratioCell(comparison.ratio, comparison.withinNoise)} vs ${comparison.to}` : "—";

/** The A/A line of a part: the median A/A ratio, its per-round range and the noise band. */
const noiseLine = (noise: Noise) =>
  `A/A noise: ±${fixed2.format(noise.noise)} (80 % of the A/A copy's per-round ratios to the floor are within it; they ran ${fixed2.format(noise.aaRatioMin)}–${fixed2.format(noise.aaRatioMax)}, median ${fixed2.format(noise.aaRatio)}); a ratio within 1 ± ${fixed2.format(noise.noise)} of its comparison is reported as "within noise".`;

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
      noiseLine(transport.noise),
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
          "other comparison (p50)",
          "warnings",
        ],
        transport.contenders.map((c) => [
          c.name,
          integer.format(c.opsPerSecond),
          fixed2.format(c.p50Us),
          fixed2.format(c.p99Us),
          fixed2.format(c.meanUs),
          c.name === "floor" ? "1.00 (floor)" : ratioCell(c.ratioP50, c.withinNoise),
          `${fixed2.format(c.ratioP50Min)}–${fixed2.format(c.ratioP50Max)}`,
          fixed2.format(c.ratioMean),
          fixed2.format(c.addedP50Us),
          comparisonCell(c.comparison),
          c.warnings === 0 ? "0" : `**${integer.format(c.warnings)}**`,
        ]),
        [9],
      ),
    );
  }
  return parts.join("\n");
}

function throughputSection(throughput: ThroughputResult): string {
  const { config } = throughput;
  return [
    `## Throughput, ${config.inFlight} calls in flight`,
    "",
    `${throughput.label}. Each contender keeps ${config.inFlight} calls going until it has made ${integer.format(config.callsPerRound)}; ops/s = calls ÷ wall time. ${config.rounds} rounds (after ${integer.format(config.warmupCalls)} warm-up calls each), order reversed on odd rounds. Ratio: the contender's ops/s ÷ the floor's in the same round, median over rounds (above 1 is faster than the floor, below 1 slower).`,
    "",
    noiseLine(throughput.noise),
    "",
    table(
      ["contender", "ops/s (median)", "× floor ops/s", "per-round range", "other comparison"],
      throughput.contenders.map((c) => [
        c.name,
        integer.format(c.opsPerSecond),
        c.name === "floor" ? "1.00 (floor)" : ratioCell(c.ratio, c.withinNoise),
        `${fixed2.format(c.ratioMin)}–${fixed2.format(c.ratioMax)}`,
        comparisonCell(c.comparison),
      ]),
      [4],
    ),
  ].join("\n");
}

function coldStartSection(cold: ColdStartResult): string {
  return [
    "## Cold start",
    "",
    `Wall time of a fresh \`node\` process, spawn to exit, ${cold.config.rounds} rounds, every variant once per round in alternating order. Ratio: ÷ \`node -e 0\` in the same round, median over rounds. The CLI is \`${cold.bin}\` (\`package.json\` \`bin\`). The module files live in \`.tmp/bench/cold/\` and import the package by name (\`dist/\`).`,
    "",
    noiseLine(cold.noise).replace("to the floor", "to `node -e 0`"),
    "",
    table(
      ["variant", "command", "median ms", "× node -e 0", "per-round range", "other comparison"],
      cold.variants.map((v) => [
        v.name,
        `\`${v.command}\``,
        fixed1.format(v.medianMs),
        v.name === "node -e 0" ? "1.00 (baseline)" : ratioCell(v.ratio, v.withinNoise),
        `${fixed2.format(v.ratioMin)}–${fixed2.format(v.ratioMax)}`,
        comparisonCell(v.comparison),
      ]),
      [1, 5],
    ),
  ].join("\n");
}

/** The per-module table of one bundle. */
function modulesTable(modules: readonly ModuleBytes[]): string {
  return table(
    ["module", "bytes (min)", "share", "gzip estimate (share × gzip)", "gzip alone"],
    modules.map((m) => [
      `\`${m.module}\``,
      bytes(m.bytes),
      `${fixed1.format(m.share * 100)} %`,
      bytes(m.gzipEstimate),
      bytes(m.gzipAlone),
    ]),
  );
}

function singleFileSection(size: SizeResult): string {
  const { singleFile } = size;
  return [
    "### One file, no code splitting",
    "",
    'The same esbuild options without splitting: one output file, a dynamic `import()` inlined into it. The facade\'s entries create a client and call `retrieve` (`createNectarClient({ apiKey })`, with or without `validateResponses: "strict"`); the others import the default export.',
    "",
    table(
      ["bundle (one file)", "min", "gzip"],
      Object.entries(singleFile.bundles).map(([name, size]) => [
        name,
        bytes(size.raw),
        `**${bytes(size.gzip)}**`,
      ]),
    ),
    "",
    "What each byte of the facade is (esbuild metafile: bytes each input contributes to the output). Gzip cannot be split by module exactly: the estimate is the module's share of the minified output × the output's gzip size; \"gzip alone\" is the module minified and gzipped by itself (no dictionary shared with the rest, so the column adds up to more than the bundle).",
    "",
    "One file, validation never on:",
    "",
    modulesTable(singleFile.facadeModules),
    "",
    "Code-split build, the entry chunk (the validators are in no chunk: the client never imports them in a way a bundler follows):",
    "",
    modulesTable(singleFile.splitEntryModules),
  ].join("\n");
}

/** The run's headline: noise and every ratio to the floor, one line per contender. */
function headlineSection(results: Results): string {
  const { overhead, throughput, coldStart, size } = results;
  const parts = ["## Headline", ""];
  const transports = overhead?.transports ?? [];
  const noises = [
    ...transports.map((t) => `per call, ${t.transport} ±${fixed2.format(t.noise.noise)}`),
    ...(throughput ? [`throughput ±${fixed2.format(throughput.noise.noise)}`] : []),
    ...(coldStart ? [`cold start ±${fixed2.format(coldStart.noise.noise)}`] : []),
  ];
  if (noises.length > 0) {
    parts.push(
      `A/A noise (the deviation from 1 of an identical copy that 80 % of rounds stay within): ${noises.join(", ")}.`,
      "",
    );
  }
  if (transports.length > 0 || throughput) {
    const names = (transports[0]?.contenders ?? throughput?.contenders ?? []).map((c) => c.name);
    parts.push(
      table(
        [
          "contender",
          ...transports.map((t) => `per call, ${t.transport} (× floor p50)`),
          ...(throughput ? [`${throughput.config.inFlight} in flight (× floor ops/s)`] : []),
        ],
        names.map((name) => [
          name,
          ...transports.map((t) => {
            const c = t.contenders.find((x) => x.name === name);
            return !c ? "—" : name === "floor" ? "1.00" : ratioCell(c.ratioP50, c.withinNoise);
          }),
          ...(throughput
            ? [
                (() => {
                  const c = throughput.contenders.find((x) => x.name === name);
                  return !c ? "—" : name === "floor" ? "1.00" : ratioCell(c.ratio, c.withinNoise);
                })(),
              ]
            : []),
        ]),
      ),
      "",
    );
  }
  if (coldStart) {
    parts.push(
      `Cold start (× \`node -e 0\`, ${fixed1.format(coldStart.variants[0]?.medianMs ?? Number.NaN)} ms): ${coldStart.variants
        .slice(2)
        .map(
          (v) =>
            `${v.name} ${fixed2.format(v.ratio)}${v.withinNoise ? " (within noise)" : ""} (${fixed1.format(v.medianMs)} ms)`,
        )
        .join(", ")}.`,
      "",
    );
  }
  if (size) {
    parts.push(
      `Bundle, gzip: facade entry chunk ${bytes(size.facade.entry.gzip)} (code-split); one file: ${Object.entries(
        size.singleFile.bundles,
      )
        .map(([name, b]) => `${name} ${bytes(b.gzip)}`)
        .join(", ")}.`,
      "",
    );
  }
  return parts.join("\n").trimEnd();
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
    `esbuild: bundle ${options.bundle}, minify ${options.minify}, format ${options.format}, platform ${options.platform}, splitting ${options.splitting}; each chunk gzipped (level ${options.gzipLevel}). Entry: \`import { x } from "pkg"; console.log(x)\`. The client's own import of its validators is one no bundler follows (a bundled app that validates passes \`nectar-climate-connection/validators\`), so there is no validators chunk (—).`,
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
    "",
    singleFileSection(size),
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
    "Written by `npm run bench -- --update` (`bench/run.ts`; without `--update` it writes `.tmp/bench/`); see `bench/README.md` for the method.",
    "",
    `- Date: ${env.date}; profile: ${env.profile}; run took ${fixed1.format(results.durationSeconds)} s`,
    `- Machine: ${m.os}, ${m.cpuCount} × ${m.cpuModel}, ${fixed1.format(m.totalMemoryBytes / 2 ** 30)} GiB, Node ${m.node}`,
    `- Load average (1/5/15 min) at start ${m.loadAverageStart.map((n) => fixed2.format(n)).join(" / ")}, at end ${m.loadAverageEnd.map((n) => fixed2.format(n)).join(" / ")}`,
    `- Project: ${env.project.version} at ${env.project.commit.slice(0, 12)}${env.project.dirty ? " (with uncommitted changes)" : ""}; facade: ${env.facade.module} (${env.facade.build})`,
    `- Packages: ${packages}`,
    `- Payload: \`${env.payload.source}\` (${bytes(env.payload.bytes)} of JSON)`,
  ];
  if (results.memoryFetchCheck) {
    const check = results.memoryFetchCheck;
    parts.push(
      `- In-memory fetch checked against Node's: after ${check.calls} calls on one signal, abort listeners left ${check.nodeFetch.afterCalls} (Node) / ${check.memoryFetch.afterCalls} (fake), after GC ${check.nodeFetch.afterGc} / ${check.memoryFetch.afterGc}`,
    );
  }
  parts.push("", headlineSection(results));
  if (results.overhead) parts.push("", overheadSection(results.overhead, results.ratioDefinition));
  if (results.throughput) parts.push("", throughputSection(results.throughput));
  if (results.coldStart) parts.push("", coldStartSection(results.coldStart));
  if (results.size) parts.push("", sizeSection(results.size, results.facadeEntryGzipBudget));
  if (results.pipeline) parts.push("", pipelineSection(results.pipeline));
  if (results.memory) parts.push("", memorySection(results.memory));
  const skipped = (
    [
      ["overhead", results.overhead],
      ["throughput", results.throughput],
      ["cold", results.coldStart],
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
