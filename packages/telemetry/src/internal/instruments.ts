/**
 * The two histograms of the conventions, created through the OpenTelemetry metrics API with
 * their advised bucket boundaries (seconds).
 */
import { type Attributes, type Histogram, type Meter, metrics } from "@opentelemetry/api";
import { isNoopMeter } from "./noop.js";

/** The advised `ExplicitBucketBoundaries` of both MCP duration histograms, in seconds. */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300,
] as const;

interface Histograms {
  readonly operation: Histogram;
  readonly session: Histogram;
  /** False for the API's no-op meter. */
  readonly recording: boolean;
}

function create(meter: Meter): Histograms {
  const advice = { explicitBucketBoundaries: [...DURATION_BUCKETS] };
  return {
    recording: !isNoopMeter(meter),
    operation: meter.createHistogram("mcp.server.operation.duration", {
      unit: "s",
      description:
        "MCP request or notification duration as observed on the receiver from the time it was received until the result or ack is sent.",
      advice,
    }),
    session: meter.createHistogram("mcp.server.session.duration", {
      unit: "s",
      description: "The duration of the MCP session as observed on the MCP server.",
      advice,
    }),
  };
}

/** Records the MCP server duration histograms. */
export interface Instruments {
  /** Records one request's or notification's duration. */
  operation(seconds: number, attributes: Attributes): void;
  /** Records one session's duration. */
  session(seconds: number, attributes: Attributes): void;
  /** False while the histograms are the API's no-ops (no meter provider registered). */
  recording(): boolean;
}

/**
 * The histograms on `meter`, or — without one — on the global meter provider's meter, made
 * again whenever that provider changes (the metrics API has no proxy provider, so a server
 * built before the SDK was started still records once it is).
 *
 * @example
 * const instruments = createInstruments(undefined, "@mcpforge/telemetry", "0.1.0");
 * instruments.operation(0.012, { "mcp.method.name": "tools/list" });
 */
export function createInstruments(
  meter: Meter | undefined,
  name: string,
  version: string | undefined,
): Instruments {
  const fixed: Histograms | undefined = meter ? create(meter) : undefined;
  let provider: unknown;
  let current: Histograms | undefined;
  const histograms = (): Histograms => {
    if (fixed) return fixed;
    const now = metrics.getMeterProvider();
    if (now !== provider || !current) {
      provider = now;
      current = create(now.getMeter(name, version));
    }
    return current;
  };
  return {
    operation: (seconds, attributes) => histograms().operation.record(seconds, attributes),
    session: (seconds, attributes) => histograms().session.record(seconds, attributes),
    recording: () => histograms().recording,
  };
}
