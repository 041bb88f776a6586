/** Option checks of the package's factories (core's checks, bound to `@mcpforge/middleware`). */
import { createOptionChecks } from "@mcpforge/core/authoring";

export { describeValue, MAX_TIMER_MS } from "@mcpforge/core/authoring";

/** The checks bound to the package (for shared checks such as `checkRedisTarget`). */
export const optionCheck = createOptionChecks("@mcpforge/middleware");

export const {
  error: optionsError,
  object: checkOptionsObject,
  positiveInteger: checkPositiveInteger,
  nonNegativeNumber: checkNonNegativeNumber,
  duration: checkDuration,
  record: checkRecord,
  function: checkFunction,
} = optionCheck;
