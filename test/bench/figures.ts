/** Turn figures shared by the benchmarks: throughput and latency percentiles of a run. */

/** Turn figures of one run of complete conversations. */
export interface TurnFigures {
  conversations: number;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean turn latency; next to p50 it shows a tail (the target is mean ≤ 1.5 × p50). */
  meanMs: number;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function figures(conversations: number, latencies: number[], elapsedMs: number): TurnFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    conversations,
    turns: sorted.length,
    turnsPerSecond: sorted.length / (elapsedMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.reduce((sum, l) => sum + l, 0) / Math.max(1, sorted.length),
  };
}
