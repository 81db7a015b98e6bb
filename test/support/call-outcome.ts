import { RpcError } from "@stubwright/runtime";

/** Awaits a call that must fail and returns its error, asserting it is an RpcError. */
export async function failureOf(call: Promise<unknown>): Promise<RpcError> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof RpcError) {
      return error;
    }
    throw new Error(`expected an RpcError, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected the call to fail, it answered ${JSON.stringify(result, bigintSafe)}`);
}

/** Reads a response stream to its end: the messages received, and the error it ended with (if any). */
export async function drain<T>(stream: AsyncIterable<T>): Promise<{ messages: T[]; error: RpcError | undefined }> {
  const messages: T[] = [];
  try {
    for await (const message of stream) {
      messages.push(message);
    }
    return { messages, error: undefined };
  } catch (error) {
    if (error instanceof RpcError) {
      return { messages, error };
    }
    throw new Error(`expected an RpcError, got ${String(error)}`, { cause: error });
  }
}

/** A request stream of `count` messages `{ message: "<prefix><index>" }`. */
export async function* requestsOf(count: number, prefix = "m"): AsyncGenerator<{ message: string }> {
  for (let index = 0; index < count; index++) {
    yield { message: `${prefix}${index}` };
  }
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
