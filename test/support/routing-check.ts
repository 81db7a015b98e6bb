import type { ServiceDefinition, ServiceHandlers } from "@stubwright/runtime";

/** A request of every naming fixture: `Ping` (or `BarePing`, ...) has `text`. */
interface Ping {
  readonly text: string;
}

/** A response of every naming fixture: which method answered, and the text it got. */
export interface Pong {
  readonly method: string;
  readonly text: string;
}

type Handler = (input: unknown) => unknown;

/**
 * Handlers for any naming fixture service: every method answers with its own
 * path, so a test can tell which method the server actually ran. Streaming
 * responses come as two messages; streamed requests are joined with ",".
 */
export function createRoutingHandlers(definition: ServiceDefinition): Partial<ServiceHandlers<ServiceDefinition>> {
  const handlers: Record<string, Handler> = {};
  for (const [key, method] of Object.entries(definition)) {
    const answer = (text: string): Pong => ({ method: method.path, text });
    let handler: Handler;
    switch (method.kind) {
      case "unary":
        handler = (request) => answer((request as Ping).text);
        break;
      case "server_streaming":
        handler = async function* (request) {
          yield answer((request as Ping).text);
          yield answer(`${(request as Ping).text}!`);
        };
        break;
      case "client_streaming":
        handler = async (requests) => answer((await collect(requests as AsyncIterable<Ping>)).map((r) => r.text).join(","));
        break;
      case "bidi_streaming":
        handler = async function* (requests) {
          for await (const request of requests as AsyncIterable<Ping>) {
            yield answer(request.text);
          }
        };
        break;
    }
    // defineProperty: keys such as "hasOwnProperty" must become own data properties.
    Object.defineProperty(handlers, key, { value: handler, enumerable: true });
  }
  return handlers as Partial<ServiceHandlers<ServiceDefinition>>;
}

/**
 * Calls `key` on `client` the way its kind requires, sending `text`, and
 * returns every response. Streaming calls send `text` twice.
 */
export async function callByKind(client: object, definition: ServiceDefinition, key: string, text: string): Promise<Pong[]> {
  const method = (client as Record<string, (input: unknown) => unknown>)[key];
  if (typeof method !== "function") {
    throw new Error(`client has no method ${key}`);
  }
  let responses: Pong[];
  switch (definition[key]?.kind) {
    case "unary":
      responses = [(await method({ text })) as Pong];
      break;
    case "server_streaming":
      responses = await collect(method({ text }) as AsyncIterable<Pong>);
      break;
    case "client_streaming":
      responses = [(await method(fromArray([{ text }, { text }]))) as Pong];
      break;
    case "bidi_streaming":
      responses = await collect(method(fromArray([{ text }, { text }])) as AsyncIterable<Pong>);
      break;
    default:
      throw new Error(`definition has no method ${key}`);
  }
  // Only the fields: responses are protobuf-es messages carrying $typeName.
  return responses.map(({ method, text }) => ({ method, text }));
}

/** What {@link callByKind} must receive when the method behind `path` answered. */
export function expectedAnswers(definition: ServiceDefinition, key: string, text: string): Pong[] {
  const method = definition[key];
  if (method === undefined) {
    throw new Error(`definition has no method ${key}`);
  }
  switch (method.kind) {
    case "unary":
      return [{ method: method.path, text }];
    case "server_streaming":
      return [
        { method: method.path, text },
        { method: method.path, text: `${text}!` },
      ];
    case "client_streaming":
      return [{ method: method.path, text: `${text},${text}` }];
    case "bidi_streaming":
      return [
        { method: method.path, text },
        { method: method.path, text },
      ];
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
  }
  return result;
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
