/**
 * Per-call overhead: one `GET /connection/{id}` through each contender, sequentially, on two
 * transports: an injected in-memory `fetch` (isolates the client's own cost) and a real
 * node:http server on loopback with keep-alive (the cost as part of a real request).
 *
 * Method: one process, one run. Each contender is checked once (right URL, API key, parsed
 * body equal to the payload), warmed up, then measured in rounds; in every round each contender
 * makes `callsPerRound` calls, in alternating order (reversed on odd rounds) so that drift in
 * machine speed hits all of them alike. Every call is timed on its own.
 */
import { deepStrictEqual, strictEqual } from "node:assert";
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import axios from "axios";
import ky from "ky";
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import {
  BENCH_API_KEY,
  benchDir,
  type FacadeModule,
  type FetchFn,
  HTTP_PREFIX,
  MEMORY_BASE_URL,
  mean,
  median,
  type Payload,
  projectRoot,
  quantile,
  round,
  totalWarnings,
} from "./common.ts";
import { createMemoryFetch } from "./memory-fetch.ts";
import {
  AA,
  type Comparison,
  compare,
  type Noise,
  noiseOf,
  perRoundRatios,
  withinNoise,
} from "./noise.ts";

/** Where requests go: a base URL and the `fetch` to inject (`undefined`: the global one). */
export interface Transport {
  name: "memory" | "http";
  /** A one-line description for the report. */
  label: string;
  baseUrl: string;
  fetch: FetchFn | undefined;
}

/** One call of a contender: resolves to the parsed body, rejects on a non-2xx answer. */
export type Call = () => Promise<unknown>;

/** A way to make the call, set up for a transport. */
export interface Contender {
  name: string;
  description: string;
  /** A contender this one is compared with besides the floor (the facade: openapi-fetch). */
  compareWith?: string;
  create(transport: Transport): Call;
}

/** How much to run per transport. */
export interface OverheadConfig {
  warmupCalls: number;
  rounds: number;
  callsPerRound: number;
}

/** The measurements of one contender on one transport. */
export interface ContenderStats {
  name: string;
  description: string;
  /** Measured calls (warm-up excluded). */
  calls: number;
  /** Measured calls divided by the wall time of the measured batches. */
  opsPerSecond: number;
  /** Latency percentiles and mean over all measured calls, in µs. */
  p50Us: number;
  p99Us: number;
  meanUs: number;
  /** Median over rounds of (this contender's p50 / the floor's p50 in the same round). */
  ratioP50: number;
  /** Smallest and largest per-round p50 ratio: the spread of `ratioP50`. */
  ratioP50Min: number;
  ratioP50Max: number;
  /** Median over rounds of (mean / the floor's mean in the same round). */
  ratioMean: number;
  /** Median over rounds of (this p50 − the floor's p50), in µs: what the contender adds per call. */
  addedP50Us: number;
  /** The p50 of each round, in µs, in round order. */
  roundP50Us: number[];
  /** Process warnings (e.g. MaxListenersExceededWarning) emitted during its measured calls. */
  warnings: number;
  /** |ratioP50 − 1| ≤ the run's noise: the run cannot tell this contender from the floor. */
  withinNoise: boolean;
  /** p50 ratio to `compareWith` (median of per-round ratios), when the contender has one. */
  comparison: Comparison | null;
}

/** The result on one transport. */
export interface TransportResult {
  transport: Transport["name"];
  label: string;
  config: OverheadConfig;
  /** The contender order of each round. */
  orders: string[][];
  /** The A/A contender's ratios to the floor: the noise of this run. */
  noise: Noise;
  contenders: ContenderStats[];
}

/** The contender every ratio is relative to. */
export const FLOOR = "floor";

/** The floor's description, shared by its A/A copy. */
const FLOOR_DESCRIPTION = "fetch(url, { headers }) + ok check + JSON.parse(await res.text())";

/** The floor: the least any client can do. */
function floorContender(id: string): Contender {
  return {
    name: FLOOR,
    description: FLOOR_DESCRIPTION,
    create(transport) {
      const fetchImpl: FetchFn = transport.fetch ?? globalThis.fetch;
      const url = `${transport.baseUrl}/connection/${id}`;
      return async () => {
        const response = await fetchImpl(url, { headers: { "x-api-key": BENCH_API_KEY } });
        if (!response.ok) throw new Error(`floor: HTTP ${response.status}`);
        return JSON.parse(await response.text());
      };
    },
  };
}

/**
 * The A/A contender: a second copy of the floor's code (its own functions, so its own JIT
 * feedback, like any other contender). Its ratio to the floor measures the run's noise.
 */
function floorCopyContender(id: string): Contender {
  return {
    name: AA,
    description: `a second, identical copy of the floor: ${FLOOR_DESCRIPTION}`,
    create(transport) {
      const fetchImpl: FetchFn = transport.fetch ?? globalThis.fetch;
      const url = `${transport.baseUrl}/connection/${id}`;
      return async () => {
        const response = await fetchImpl(url, { headers: { "x-api-key": BENCH_API_KEY } });
        if (!response.ok) throw new Error(`floor (A/A): HTTP ${response.status}`);
        return JSON.parse(await response.text());
      };
    },
  };
}

/**
 * The contenders: the floor and its A/A copy, bare openapi-fetch, the facade (validation off
 * and strict, each also compared with openapi-fetch), axios, ky.
 */
export function createContenders(facade: FacadeModule, payload: Payload): Contender[] {
  const id = payload.connectionId;
  const headers = { "x-api-key": BENCH_API_KEY };
  const facadeContender = (mode: "off" | "strict"): Contender => ({
    name: `facade (${mode})`,
    compareWith: "openapi-fetch",
    description: `createNectarClient({ validateResponses: "${mode}" }).connections.retrieve(id), built package`,
    create(transport) {
      const client = facade.createNectarClient({
        apiKey: BENCH_API_KEY,
        baseUrl: transport.baseUrl,
        validateResponses: mode,
        ...(transport.fetch ? { fetch: transport.fetch } : {}),
      });
      return () => client.connections.retrieve(id);
    },
  });
  return [
    floorContender(id),
    floorCopyContender(id),
    {
      name: "openapi-fetch",
      description:
        'createClient<paths>({ baseUrl, headers, fetch }).GET("/connection/{connection_id}")',
      create(transport) {
        const client = createClient<paths>({
          baseUrl: transport.baseUrl,
          headers,
          ...(transport.fetch ? { fetch: transport.fetch } : {}),
        });
        return async () => {
          const { data, response } = await client.GET("/connection/{connection_id}", {
            params: { path: { connection_id: id } },
          });
          if (!response.ok || data === undefined) {
            throw new Error(`openapi-fetch: HTTP ${response.status}`);
          }
          return data;
        };
      },
    },
    facadeContender("off"),
    facadeContender("strict"),
    {
      name: "axios",
      description:
        'axios.create({ adapter: "fetch", env: { fetch } }).get(path), defaults otherwise',
      create(transport) {
        const client = axios.create({
          baseURL: transport.baseUrl,
          adapter: "fetch",
          headers,
          ...(transport.fetch ? { env: { fetch: transport.fetch } } : {}),
        });
        return async () => (await client.get<unknown>(`/connection/${id}`)).data;
      },
    },
    {
      name: "ky",
      description: "ky.create({ prefixUrl, headers, fetch }).get(path).json(), defaults otherwise",
      create(transport) {
        const client = ky.create({
          prefixUrl: transport.baseUrl,
          headers,
          ...(transport.fetch ? { fetch: transport.fetch } : {}),
        });
        return () => client.get(`connection/${id}`).json<unknown>();
      },
    },
  ];
}

/**
 * Checks each contender once on `transport`: it must resolve to the payload. On the in-memory
 * transport the requests are recorded too: a GET of the right URL carrying the API key.
 */
export async function verifyContenders(
  contenders: readonly Contender[],
  transport: Transport,
  payload: Payload,
): Promise<void> {
  for (const contender of contenders) {
    const seen: Request[] = [];
    const inner = transport.fetch;
    const recording: FetchFn | undefined = inner
      ? (input, init) => {
          seen.push(new Request(input, init));
          return inner(input, init);
        }
      : undefined;
    const call = contender.create({ ...transport, fetch: recording });
    const where = `${contender.name} on ${transport.name}`;
    deepStrictEqual(await call(), payload.value, `${where}: wrong body`);
    if (recording) {
      strictEqual(seen.length, 1, `${where}: expected one request`);
      const [request] = seen;
      strictEqual(request?.method, "GET", `${where}: method`);
      strictEqual(
        request?.url,
        `${transport.baseUrl}/connection/${payload.connectionId}`,
        `${where}: url`,
      );
      strictEqual(request?.headers.get("x-api-key"), BENCH_API_KEY, `${where}: x-api-key`);
    }
  }
}

/** Times each of `samples.length` sequential calls (ms); returns the batch's wall time (ms). */
async function timeBatch(call: Call, samples: Float64Array): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < samples.length; i++) {
    const before = performance.now();
    await call();
    samples[i] = performance.now() - before;
  }
  return performance.now() - started;
}

/** Measures every contender on `transport`, in alternating order; see the file comment. */
export async function measureTransport(
  contenders: readonly Contender[],
  transport: Transport,
  config: OverheadConfig,
  log: (line: string) => void,
): Promise<TransportResult> {
  const calls = new Map(contenders.map((c) => [c.name, c.create(transport)]));
  const callOf = (name: string): Call => {
    const call = calls.get(name);
    if (!call) throw new Error(`no contender ${name}`);
    return call;
  };
  for (const contender of contenders) {
    await timeBatch(callOf(contender.name), new Float64Array(config.warmupCalls));
  }

  const names = contenders.map((c) => c.name);
  const rounds = new Map(names.map((name) => [name, [] as Float64Array[]]));
  const walls = new Map(names.map((name) => [name, 0]));
  const warnings = new Map(names.map((name) => [name, 0]));
  const orders: string[][] = [];
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? [...names] : [...names].reverse();
    orders.push(order);
    for (const name of order) {
      const samples = new Float64Array(config.callsPerRound);
      const warned = totalWarnings();
      const wall = await timeBatch(callOf(name), samples);
      // Warnings are emitted on a later tick: let them arrive before counting.
      await new Promise<void>((resolve) => setImmediate(resolve));
      rounds.get(name)?.push(samples.sort());
      walls.set(name, (walls.get(name) ?? 0) + wall);
      warnings.set(name, (warnings.get(name) ?? 0) + totalWarnings() - warned);
    }
    log(`overhead/${transport.name}: round ${round + 1}/${config.rounds} done`);
  }

  const roundsOf = (name: string): Float64Array[] => rounds.get(name) ?? [];
  const floorRounds = roundsOf(FLOOR);
  const floorP50 = floorRounds.map((samples) => quantile(samples, 0.5));
  const floorMean = floorRounds.map((samples) => mean(samples));
  const p50sOf = (name: string) => roundsOf(name).map((samples) => quantile(samples, 0.5));
  const noise = noiseOf(perRoundRatios(p50sOf(AA), floorP50));
  const stats = contenders.map((contender): ContenderStats => {
    const perRound = roundsOf(contender.name);
    const all = new Float64Array(perRound.length * config.callsPerRound);
    perRound.forEach((samples, i) => {
      all.set(samples, i * config.callsPerRound);
    });
    all.sort();
    const p50s = perRound.map((samples) => quantile(samples, 0.5));
    const ratios = perRoundRatios(p50s, floorP50);
    const meanRatios = perRound.map((s, i) => mean(s) / (floorMean[i] ?? Number.NaN));
    const added = p50s.map((p50, i) => (p50 - (floorP50[i] ?? Number.NaN)) * 1000);
    return {
      name: contender.name,
      description: contender.description,
      calls: all.length,
      opsPerSecond: Math.round(all.length / ((walls.get(contender.name) ?? 0) / 1000)),
      p50Us: round(quantile(all, 0.5) * 1000, 2),
      p99Us: round(quantile(all, 0.99) * 1000, 2),
      meanUs: round(mean(all) * 1000, 2),
      ratioP50: round(median(ratios)),
      ratioP50Min: round(Math.min(...ratios)),
      ratioP50Max: round(Math.max(...ratios)),
      ratioMean: round(median(meanRatios)),
      addedP50Us: round(median(added), 2),
      roundP50Us: p50s.map((p50) => round(p50 * 1000, 2)),
      warnings: warnings.get(contender.name) ?? 0,
      withinNoise: withinNoise(round(median(ratios)), noise),
      comparison: contender.compareWith
        ? compare(contender.compareWith, p50s, p50sOf(contender.compareWith), noise)
        : null,
    };
  });
  return {
    transport: transport.name,
    label: transport.label,
    config,
    orders,
    noise,
    contenders: stats,
  };
}

/** A running HTTP server child: its base URL and how to stop it. */
interface ServerHandle {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts `bench/http-server.ts` in a child process and waits for its port. */
export function startServer(): Promise<ServerHandle> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(path.join(benchDir, "http-server.ts"), [], {
      cwd: projectRoot,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`http server exited early (${code})`)));
    child.once("message", (message: unknown) => {
      const port =
        typeof message === "object" && message !== null && "port" in message
          ? message.port
          : undefined;
      if (typeof port !== "number") {
        reject(new Error(`http server sent ${JSON.stringify(message)}`));
        return;
      }
      resolve({
        baseUrl: `http://127.0.0.1:${port}${HTTP_PREFIX}`,
        async stop() {
          if (child.exitCode === null) child.send("stop");
          const timer = setTimeout(() => child.kill(), 5_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

/** The overhead part of the bench: both transports. */
export interface OverheadResult {
  transports: TransportResult[];
}

/** Runs the overhead part: verification, then measurement on memory and on HTTP. */
export async function runOverhead(
  facade: FacadeModule,
  payload: Payload,
  configs: { memory: OverheadConfig; http: OverheadConfig },
  log: (line: string) => void,
): Promise<OverheadResult> {
  const contenders = createContenders(facade, payload);
  const memory: Transport = {
    name: "memory",
    label:
      "injected in-memory fetch: answers at once with a new Response, leaves an abort listener on the request's signal until GC (as Node's fetch does)",
    baseUrl: MEMORY_BASE_URL,
    fetch: createMemoryFetch(payload.body),
  };
  await verifyContenders(contenders, memory, payload);
  log("overhead/memory: every contender returned the payload from a correct request");
  const results = [await measureTransport(contenders, memory, configs.memory, log)];

  const server = await startServer();
  try {
    const http: Transport = {
      name: "http",
      label: "node:http server in a child process on 127.0.0.1, keep-alive, global fetch",
      baseUrl: server.baseUrl,
      fetch: undefined,
    };
    await verifyContenders(contenders, http, payload);
    log("overhead/http: every contender returned the payload (server checks path and key)");
    results.push(await measureTransport(contenders, http, configs.http, log));
  } finally {
    await server.stop();
  }
  return { transports: results };
}
