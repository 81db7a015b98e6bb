import type { MessageFormat } from "../web-server/message-codec.js";

/** A Connect request's content type, parsed. */
export interface ConnectContentType {
  /** `application/connect+…`: an enveloped (streaming) body. */
  readonly streaming: boolean;
  readonly format: MessageFormat;
}

/**
 * Parses a Connect content type: `application/proto` and `application/json`
 * for unary calls, `application/connect+proto` and `application/connect+json`
 * for streaming ones; `undefined` for anything else.
 */
export function parseConnectContentType(contentType: string | undefined): ConnectContentType | undefined {
  const match = /^application\/(connect\+)?(proto|json)\s*(?:;.*)?$/i.exec(contentType?.trim() ?? "");
  if (match === null) {
    return undefined;
  }
  return { streaming: match[1] !== undefined, format: (match[2] as string).toLowerCase() as MessageFormat };
}

/** The content type of a Connect response. */
export function connectContentType(type: ConnectContentType): string {
  return `application/${type.streaming ? "connect+" : ""}${type.format}`;
}
