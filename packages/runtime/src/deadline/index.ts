/**
 * `@stubwright/runtime/deadline`: the inbound call outbound calls inherit
 * from (`currentCall`), and the arithmetic of deadlines as clients apply it.
 * Deadlines are absolute epoch milliseconds, `Infinity` for none.
 */
export { currentCall, type PropagatedCall, type AbortFollower } from "../propagation.js";
export { resolveDeadline, timeRemainingMs, wireDeadline, maxWireTimeoutMs } from "./deadline.js";
