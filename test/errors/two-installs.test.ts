import { create } from "@bufbuild/protobuf";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as first from "@stubwright/runtime";
import { BadRequestSchema } from "@stubwright/runtime/error-details";
import { isRetryable } from "@stubwright/runtime/status";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoServiceDefinition } from "../golden/ts/fixture/echo/v1/echo_grpc.js";

// Two copies of @stubwright/runtime in one process, as when two packages each
// install their own: the built dist/ copied to a temp directory (sharing the
// one @grpc/grpc-js and @bufbuild/protobuf through a node_modules link) and
// imported next to the workspace's copy.

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
type Runtime = typeof first;
let second: Runtime;
let copyDir: string;

beforeAll(async () => {
  copyDir = mkdtempSync(join(tmpdir(), "stubwright-second-copy-"));
  cpSync(join(repoRoot, "packages/runtime/dist"), join(copyDir, "dist"), { recursive: true });
  // The sources too, so the copy's source maps resolve (vite warns otherwise).
  cpSync(join(repoRoot, "packages/runtime/src"), join(copyDir, "src"), { recursive: true });
  writeFileSync(join(copyDir, "package.json"), JSON.stringify({ name: "@stubwright/runtime", type: "module" }));
  symlinkSync(join(repoRoot, "node_modules"), join(copyDir, "node_modules"), "dir");
  second = (await import(pathToFileURL(join(copyDir, "dist/index.js")).href)) as Runtime;
});
afterAll(() => rmSync(copyDir, { recursive: true, force: true }));

describe("RpcError across two installs", () => {
  it("really is a second copy", () => {
    expect(second.RpcError).not.toBe(first.RpcError);
    expect(second.createServer).not.toBe(first.createServer);
  });

  it("instanceof works both ways", () => {
    const fromSecond = new second.RpcError(second.Code.NOT_FOUND, "missing");
    const fromFirst = new first.RpcError(first.Code.NOT_FOUND, "missing");
    expect(fromSecond instanceof first.RpcError).toBe(true);
    expect(fromFirst instanceof second.RpcError).toBe(true);
    for (const value of [new Error("x"), { code: 5 }, null, undefined, "RpcError"]) {
      expect(value instanceof first.RpcError).toBe(false);
      expect(value instanceof second.RpcError).toBe(false);
    }
  });

  it("subclasses keep ordinary instanceof semantics", () => {
    class ItemLocked extends first.RpcError {
      constructor() {
        super(first.Code.FAILED_PRECONDITION, "locked");
      }
    }
    const locked = new ItemLocked();
    expect(locked instanceof first.RpcError).toBe(true);
    expect(locked instanceof second.RpcError).toBe(true);
    expect(new second.RpcError(second.Code.INTERNAL) instanceof ItemLocked).toBe(false);
  });

  it("details and helpers work on an error of the other copy", () => {
    const violation = create(BadRequestSchema, { fieldViolations: [{ field: "sku", description: "empty" }] });
    const error = new second.RpcError(second.Code.INVALID_ARGUMENT, "bad", { details: [violation] });
    expect(error.findDetails(BadRequestSchema)).toEqual([violation]);
    expect(isRetryable(new second.RpcError(second.Code.UNAVAILABLE))).toBe(true);
  });
});

describe("servers and clients of different copies", () => {
  const violation = create(BadRequestSchema, { fieldViolations: [{ field: "sku", description: "empty" }] });

  it("a server maps the other copy's RpcError, details included, and a client of either copy reads it", async () => {
    const server = first.createServer({ onError: () => {} }).add(EchoServiceDefinition, {
      echo() {
        throw new second.RpcError(second.Code.INVALID_ARGUMENT, "from the second copy", {
          metadata: { "x-copy": "second" },
          details: [violation],
        });
      },
    });
    const port = await server.listen("127.0.0.1:0");
    const client = second.createClient(EchoServiceDefinition, `127.0.0.1:${port}`);
    try {
      const error = await client.echo({}).catch((e: unknown) => e);
      expect(error instanceof first.RpcError).toBe(true);
      const rpcError = error as first.RpcError;
      expect(rpcError.code).toBe(first.Code.INVALID_ARGUMENT);
      expect(rpcError.rawMessage).toBe("from the second copy");
      expect(rpcError.metadata.get("x-copy")).toEqual(["second"]);
      expect(rpcError.findDetails(BadRequestSchema)).toEqual([violation]);
    } finally {
      second.closeClient(client);
      server.forceShutdown();
    }
  });

  it("an error one copy's client received is not forwarded verbatim by the other copy's server", async () => {
    const upstream = second.createServer().add(EchoServiceDefinition, {
      echo() {
        throw new second.RpcError(second.Code.NOT_FOUND, "upstream says no", {
          metadata: { "x-upstream-secret": "1" },
          details: [violation],
        });
      },
    });
    const upstreamPort = await upstream.listen("127.0.0.1:0");
    const upstreamClient = second.createClient(EchoServiceDefinition, `127.0.0.1:${upstreamPort}`);
    const server = first.createServer().add(EchoServiceDefinition, {
      echo: (request) => upstreamClient.echo(request),
    });
    const port = await server.listen("127.0.0.1:0");
    const client = first.createClient(EchoServiceDefinition, `127.0.0.1:${port}`);
    try {
      const error = (await client.echo({}).catch((e: unknown) => e)) as first.RpcError;
      expect(error.code).toBe(first.Code.NOT_FOUND);
      expect(error.rawMessage).toBe("upstream says no");
      expect(error.metadata.get("x-upstream-secret")).toEqual([]);
      expect(error.details).toEqual([]);
    } finally {
      first.closeClient(client);
      second.closeClient(upstreamClient);
      server.forceShutdown();
      upstream.forceShutdown();
    }
  });
});
