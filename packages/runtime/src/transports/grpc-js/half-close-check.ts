import { ServerInterceptingCall, type ServerInterceptingCallInterface, type ServerInterceptor } from "@grpc/grpc-js";

/**
 * Event-loop turns a half-close waits for a reset that follows it. grpc-js's
 * own client (and so Stubwright's) cancels a call by closing the HTTP/2
 * stream with `close(NGHTTP2_CANCEL)`, and Node half-closes an idle request
 * stream (END_STREAM) before it resets it, in two writes: at the server such
 * a cancellation first looks exactly like a half-close. No signal tells the
 * two apart when the END_STREAM arrives; this grace lets a reset that was
 * sent right behind it arrive first. It narrows the window, it cannot close
 * it: a client that is descheduled between the two writes can always send
 * its reset later. Clients that reset without half-closing (grpc-go,
 * grpc-java, Node's own `request(..., { signal })`) need no grace.
 */
const resetGraceTurns = 4;

/**
 * A grpc-js server interceptor, installed first, that passes a client's
 * half-close of a request stream on only once grpc-js has confirmed that the
 * HTTP/2 stream was not reset, so a handler never sees a reset stream end
 * normally.
 *
 * grpc-js reports the end of the HTTP/2 request stream as the half-close and
 * a reset only later, when the stream closes. Asking grpc-js for another
 * message makes it look at the HTTP/2 stream: if it was reset, grpc-js marks
 * the call cancelled there and queues the cancellation with
 * `process.nextTick`, and it drops a half-close passed on after that (here,
 * one tick later) for a cancelled call. Asking for another message after the
 * half-close does nothing else: no message can follow it.
 */
export const checkHalfClose: ServerInterceptor = (method, call) => {
  if (!method.requestStream) {
    // Unary and server-streaming calls pass through untouched, at no cost.
    return call as ServerInterceptingCall;
  }
  let cancelled = false;
  return new ServerInterceptingCall(call, {
    start(next) {
      next({
        onReceiveHalfClose(forward) {
          confirm(call, forward, resetGraceTurns, () => cancelled);
        },
        onCancel() {
          cancelled = true;
        },
      });
    },
  });
};

/** Checks for a reset now and after each of `turns` turns; then passes the half-close on, a tick after the last check. */
function confirm(call: ServerInterceptingCallInterface, forward: () => void, turns: number, isCancelled: () => boolean): void {
  if (isCancelled()) {
    return;
  }
  call.startRead();
  if (turns === 0) {
    process.nextTick(forward);
  } else {
    setImmediate(confirm, call, forward, turns - 1, isCancelled);
  }
}
