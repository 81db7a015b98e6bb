import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { createMetadata, mergeMetadata } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";

// The runtime's own metadata must behave as grpc-js's does, since a call's
// metadata crosses to grpc-js unchanged on Node and to HTTP headers elsewhere.
describe("createMetadata", () => {
  it("lowercases keys, keeps every value in order, and copies on clone", () => {
    const metadata = createMetadata({ "X-Id": "1", "x-list": ["a", "b"] });
    metadata.add("X-LIST", "c");
    expect(metadata.get("x-id")).toEqual(["1"]);
    expect(metadata.get("X-List")).toEqual(["a", "b", "c"]);
    expect(metadata.getMap()).toEqual({ "x-id": "1", "x-list": "a" });
    const copy = metadata.clone();
    copy.set("x-id", "2");
    metadata.remove("x-list");
    expect(metadata.toJSON()).toEqual({ "x-id": ["1"] });
    expect(copy.toJSON()).toEqual({ "x-id": ["2"], "x-list": ["a", "b", "c"] });
    expect(metadata.get("absent")).toEqual([]);
  });

  it("refuses what grpc-js refuses, with grpc-js's messages", () => {
    const cases: Array<[string, string | Uint8Array]> = [
      ["bad key", "v"],
      ["x-bin", "not bytes"],
      ["x-text", Buffer.from("bytes")],
      ["x-text", "line\nbreak"],
    ];
    for (const [key, value] of cases) {
      const grpcError = captureError(() => new GrpcMetadata().add(key, value as string));
      const ownError = captureError(() => createMetadata().add(key, value));
      expect(grpcError).toBeDefined();
      expect(ownError).toBe(grpcError);
    }
  });

  it("holds bytes as Buffers on Node, so grpc-js takes them", () => {
    const metadata = createMetadata({ "x-raw-bin": new Uint8Array([1, 2, 3]) });
    const [value] = metadata.get("x-raw-bin");
    expect(Buffer.isBuffer(value)).toBe(true);
    expect(() => mergeMetadata(new GrpcMetadata(), metadata)).not.toThrow();
  });

  it("merges grpc-js metadata and its own both ways, appending", () => {
    const grpc = new GrpcMetadata();
    grpc.add("x-a", "1");
    grpc.add("x-a", "2");
    grpc.add("x-b-bin", Buffer.from([9]));
    const own = mergeMetadata(createMetadata({ "x-a": "0" }), grpc);
    expect(own.toJSON()).toEqual({ "x-a": ["0", "1", "2"], "x-b-bin": [Buffer.from([9])] });
    const back = mergeMetadata(new GrpcMetadata(), own);
    expect(back.get("x-a")).toEqual(["0", "1", "2"]);
    expect(createMetadata(grpc).toJSON()).toEqual(grpc.toJSON());
  });
});

function captureError(action: () => void): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
