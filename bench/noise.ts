/**
 * Noise from the A/A contender: a second, identical copy of the floor, measured interleaved with
 * the others. Any ratio between the two copies other than 1 is the run's noise. A result whose
 * ratio to its comparison is closer to 1 than that is reported as "within noise".
 */
import { median, quantile, round } from "./common.ts";

/** The name of the A/A contender (a copy of the floor). */
export const AA = "floor (A/A)";

/** What the A/A contender says about a run. */
export interface Noise {
  /** Median of the A/A's per-round ratios to the floor (1 on a perfectly quiet run). */
  aaRatio: number;
  /** Smallest and largest per-round A/A ratio. */
  aaRatioMin: number;
  aaRatioMax: number;
  /**
   * The noise band: the deviation from 1 that `NOISE_QUANTILE` of the A/A's per-round ratios
   * stay within (with 10 rounds, the 8th smallest |ratio − 1|).
   */
  noise: number;
}

/**
 * The share of A/A rounds the noise band covers. Not all of them: the headline ratios are
 * medians over rounds, which a single disturbed round does not move, so the band should not
 * be set by that round either; not half: a band narrower than most rounds would call chance a
 * difference.
 */
export const NOISE_QUANTILE = 0.8;

/** The noise of a run, from the A/A's per-round ratios to the floor. */
export function noiseOf(aaRatios: readonly number[]): Noise {
  const deviations = aaRatios.map((ratio) => Math.abs(ratio - 1)).sort((a, b) => a - b);
  return {
    aaRatio: round(median(aaRatios)),
    aaRatioMin: round(Math.min(...aaRatios)),
    aaRatioMax: round(Math.max(...aaRatios)),
    noise: round(Math.max(quantile(deviations, NOISE_QUANTILE), Math.abs(median(aaRatios) - 1))),
  };
}

/** Whether `ratio` (to its comparison) is within the noise band around 1. */
export function withinNoise(ratio: number, noise: Noise): boolean {
  return Math.abs(ratio - 1) <= noise.noise;
}

/** The per-round ratios of `values` to `baseline` (same round, same index). */
export function perRoundRatios(values: readonly number[], baseline: readonly number[]): number[] {
  return values.map((value, i) => value / (baseline[i] ?? Number.NaN));
}

/** A ratio to a comparison, with its spread and whether the run can tell it from 1. */
export interface Comparison {
  /** The contender compared with. */
  to: string;
  /** Median of the per-round ratios. */
  ratio: number;
  min: number;
  max: number;
  /** |ratio − 1| ≤ the run's noise. */
  withinNoise: boolean;
}

/** Compares per-round values with a baseline's per-round values. */
export function compare(
  to: string,
  values: readonly number[],
  baseline: readonly number[],
  noise: Noise,
): Comparison {
  const ratios = perRoundRatios(values, baseline);
  const ratio = round(median(ratios));
  return {
    to,
    ratio,
    min: round(Math.min(...ratios)),
    max: round(Math.max(...ratios)),
    withinNoise: withinNoise(ratio, noise),
  };
}
