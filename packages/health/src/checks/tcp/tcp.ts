import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import {
  type CommonCheckOptions,
  check,
  checkCommon,
  common,
  optionsOf,
} from "../../internal/options.js";
import type { HealthCheck } from "../types.js";

/** Options of {@link tcpCheck}. */
export interface TcpCheckOptions extends CommonCheckOptions {
  /** The host to connect to. */
  host: string;
  /** The port to connect to. */
  port: number;
}

const FACTORY = "tcpCheck";

/**
 * A TCP connection to `host:port` opens (then is closed at once). The observed value is the
 * connect time in ms. For dependencies with no health endpoint of their own (an SMTP relay,
 * a message broker).
 *
 * @param options.host - the host
 * @param options.port - the port
 * @example
 * app.use(health({ checks: { smtp: tcpCheck({ host: "mail.internal", port: 25, critical: false }) } }));
 */
export function tcpCheck(options: TcpCheckOptions): HealthCheck {
  const opts = optionsOf(FACTORY, options);
  checkCommon(FACTORY, opts);
  check.string(FACTORY, "host", opts.host, { nonEmpty: true });
  if (opts.host === undefined) throw check.error(FACTORY, "host is required");
  check.positiveInteger(FACTORY, "port", opts.port, 65535);
  if (opts.port === undefined) throw check.error(FACTORY, "port is required");
  const { host, port } = opts;
  return {
    ...common(opts),
    componentType: "component",
    measurement: "connectTime",
    check({ signal }) {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const socket = connect({ host, port });
        const abort = () => {
          socket.destroy();
          reject(signal.reason);
        };
        signal.addEventListener("abort", abort, { once: true });
        socket.once("connect", () => {
          signal.removeEventListener("abort", abort);
          socket.destroy();
          const observedValue = Math.round((performance.now() - started) * 100) / 100;
          resolve({ observedValue, observedUnit: "ms" });
        });
        socket.once("error", (err) => {
          signal.removeEventListener("abort", abort);
          socket.destroy();
          reject(err);
        });
      });
    },
  };
}
