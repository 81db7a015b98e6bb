import { connectivityState, type Client } from "@grpc/grpc-js";

/** A client's channel (grpc-js's `Channel` interface, which its index exports only as the class). */
type Channel = ReturnType<Client["getChannel"]>;

/**
 * Resolves once `channel` is in `wanted` (at once if it already is), watching
 * its state changes; rejects if it is not there within `limitMs` (a bound
 * that only catches hangs).
 */
export function reachState(channel: Channel, wanted: connectivityState, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const state = channel.getConnectivityState(false);
      if (state === wanted) {
        resolve();
        return;
      }
      channel.watchConnectivityState(state, deadline, (error) => {
        if (error === undefined) {
          check();
        } else {
          reject(new Error(`channel never reached ${connectivityState[wanted]} (stuck in ${connectivityState[state]})`));
        }
      });
    };
    check();
  });
}
