/** A static file server on loopback. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `files` (path to content type and body) on `host:port` over HTTP/1.1. */
export declare function startStaticServer(
  files: ReadonlyMap<string, { contentType: string; body: string }>,
  options?: { host?: string; port?: number },
): Promise<StaticServer>;
