/** A gRPC-Web request's content type, parsed. */
export interface GrpcWebContentType {
  /** `application/grpc-web-text`: the body is base64. */
  readonly text: boolean;
  /** The codec after "+" (`proto` when there is none). */
  readonly codec: string;
  /** The content type to answer with: the request's, without parameters. */
  readonly responseType: string;
}

/** Parses `application/grpc-web[-text][+codec]`; `undefined` for any other content type. */
export function parseGrpcWebContentType(contentType: string | undefined): GrpcWebContentType | undefined {
  const match = /^application\/grpc-web(-text)?(?:\+([\w.-]+))?\s*(?:;.*)?$/i.exec(contentType?.trim() ?? "");
  if (match === null) {
    return undefined;
  }
  const text = match[1] !== undefined;
  const codec = (match[2] ?? "proto").toLowerCase();
  return { text, codec, responseType: `application/grpc-web${text ? "-text" : ""}+${codec}` };
}
