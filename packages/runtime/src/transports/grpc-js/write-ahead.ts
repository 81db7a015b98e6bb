import { ServerInterceptingCall, type ServerInterceptingCallInterface, type ServerInterceptor } from "@grpc/grpc-js";

type Call = ServerInterceptingCallInterface;

/** Bytes of response messages a stream may have handed to HTTP/2 and not seen written yet. */
const aheadLimitBytes = 64 * 1024;
/** The same as a count, for messages of unknown size (grpc-js serializes them below this interceptor). */
const aheadLimitMessages = 32;

/**
 * A grpc-js server interceptor, installed next to grpc-js's own call, that
 * acknowledges a response message as soon as grpc-js has handed it to the
 * HTTP/2 stream, as long as less than {@link aheadLimitBytes} is still being
 * written. grpc-js acknowledges each message only when its HTTP/2 write has
 * completed, so a stream's next message waits for that and every message is
 * a write of its own; acknowledged early, the messages a handler produces
 * meanwhile reach the HTTP/2 stream together, which writes them out in one
 * go. The limit keeps backpressure: past it, the acknowledgement waits for
 * the writes to complete, as before.
 *
 * It only wraps grpc-js's own call, whose `sendMessage` writes at once, in
 * order; above another interceptor's call, which may hold a message back,
 * and for a call with methods it does not know (a later grpc-js), it steps
 * aside.
 */
export const writeAhead: ServerInterceptor = (method, call) => {
  if (!method.responseStream || call instanceof ServerInterceptingCall || !knowsAllMethods(call)) {
    return call as ServerInterceptingCall;
  }
  return new WriteAheadCall(call) as unknown as ServerInterceptingCall;
};

// Delegates by hand rather than extending grpc-js's ServerInterceptingCall,
// which would wrap every call's listener: an object more per held stream and
// calls more per received message.
class WriteAheadCall implements Call {
  private aheadBytes = 0;
  private aheadMessages = 0;
  /** The acknowledgement held back at the limit; the stream sends nothing more until it is given. */
  private held: (() => void) | undefined;

  constructor(private readonly inner: Call) {}

  sendMessage(message: unknown, callback: () => void): void {
    const bytes = message instanceof Uint8Array ? message.byteLength : 0;
    this.aheadBytes += bytes;
    this.aheadMessages++;
    this.inner.sendMessage(message, () => {
      this.aheadBytes -= bytes;
      this.aheadMessages--;
      const held = this.held;
      if (held !== undefined && this.hasRoom()) {
        this.held = undefined;
        held();
      }
    });
    if (this.hasRoom()) {
      callback();
    } else {
      this.held = callback;
    }
  }

  private hasRoom(): boolean {
    return this.aheadBytes < aheadLimitBytes && this.aheadMessages < aheadLimitMessages;
  }

  start(listener: Parameters<Call["start"]>[0]): void {
    this.inner.start(listener);
  }
  sendMetadata(metadata: Parameters<Call["sendMetadata"]>[0]): void {
    this.inner.sendMetadata(metadata);
  }
  sendStatus(status: Parameters<Call["sendStatus"]>[0]): void {
    this.inner.sendStatus(status);
  }
  startRead(): void {
    this.inner.startRead();
  }
  getPeer(): string {
    return this.inner.getPeer();
  }
  getDeadline(): ReturnType<Call["getDeadline"]> {
    return this.inner.getDeadline();
  }
  getHost(): string {
    return this.inner.getHost();
  }
  getAuthContext(): ReturnType<Call["getAuthContext"]> {
    return this.inner.getAuthContext();
  }
  getConnectionInfo(): ReturnType<Call["getConnectionInfo"]> {
    return this.inner.getConnectionInfo();
  }
  getMetricsRecorder(): ReturnType<Call["getMetricsRecorder"]> {
    return this.inner.getMetricsRecorder();
  }
}

/** Per class of grpc-js call: whether every public method it has is one {@link WriteAheadCall} passes on. */
const known = new WeakMap<object, boolean>();

function knowsAllMethods(call: Call): boolean {
  const prototype = Object.getPrototypeOf(call) as object | null;
  if (prototype === null) {
    return false;
  }
  let result = known.get(prototype);
  if (result === undefined) {
    result = publicMethodsOf(prototype).every((name) => name in WriteAheadCall.prototype);
    known.set(prototype, result);
  }
  return result;
}

/**
 * The names of the interface methods a grpc-js call class has. Only the
 * `get…`, `send…`, `start…` methods are the interface's; the rest are the
 * class's own machinery, which grpc-js calls on its own object.
 */
function publicMethodsOf(prototype: object): string[] {
  const names: string[] = [];
  for (let p: object | null = prototype; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    names.push(...Object.getOwnPropertyNames(p).filter((name) => /^(get|send|start)[A-Z]|^start$/.test(name)));
  }
  return names;
}
