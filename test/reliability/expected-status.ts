import { Code } from "@stubwright/runtime";

/** The faults the TCP proxy injects. */
export type ProxyFault = "reset" | "stall" | "delay" | "fragment";

/** Every fault the suite injects into gRPC calls made with a Stubwright client. */
export type CallFault = ProxyFault | "sigkill" | "client-cancel";

/**
 * The statuses a client may see for a call its fault decided. The calls are
 * built so the fault is the only way they can end (the handler holds the
 * call, the request stream stays open), so each fault has one right answer:
 *
 * - reset (TCP RST on the connection while the handler runs): UNAVAILABLE.
 *   The server never answered, so the call may be retried; grpc-js reports a
 *   lost connection as UNAVAILABLE.
 * - stall (the connection stops carrying bytes while the handler runs, the
 *   call has a deadline): DEADLINE_EXCEEDED, from the client's own timer.
 * - delay, fragment (every byte arrives late, or in pieces of a few bytes):
 *   OK, with exactly the right answer.
 * - sigkill (the server process is killed while the handler runs): UNAVAILABLE.
 * - client-cancel (the caller aborts its signal): CANCELLED.
 */
export function acceptedCodes(fault: CallFault): readonly Code[] {
  switch (fault) {
    case "reset":
    case "sigkill":
      return [Code.UNAVAILABLE];
    case "stall":
      return [Code.DEADLINE_EXCEEDED];
    case "delay":
    case "fragment":
      return [Code.OK];
    case "client-cancel":
      return [Code.CANCELLED];
  }
}
