/**
 * Telling whether OpenTelemetry is switched off: no tracer provider, meter provider or
 * propagator registered — `@opentelemetry/api` alone. The middleware then skips its work.
 */
import {
  createNoopMeter,
  type Meter,
  ProxyTracerProvider,
  propagation,
  trace,
} from "@opentelemetry/api";

/** The API's no-op tracer provider: what the global provider delegates to until one is set. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOOP_METER = createNoopMeter();

/**
 * Whether the global tracer provider is the API's no-op one (false when unsure, e.g. with
 * another copy of `@opentelemetry/api`).
 *
 * @example
 * if (noTracerProvider() && noPropagator()) return next();
 */
export function noTracerProvider(): boolean {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_TRACER_PROVIDER;
}

/**
 * Whether the global propagator is the API's no-op one (it propagates no field).
 *
 * @example
 * const passesContextOn = !noPropagator();
 */
export function noPropagator(): boolean {
  return propagation.fields().length === 0;
}

/**
 * Whether a meter is the API's no-op meter (what a no-op meter provider hands out).
 *
 * @example
 * import { metrics } from "@opentelemetry/api";
 * const off = isNoopMeter(metrics.getMeter("x"));
 */
export function isNoopMeter(meter: Meter): boolean {
  return meter === NOOP_METER;
}
