import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { readBody } from "../../packages/runtime/src/web-server/read-body.js";

/** A request body as Node hands it over: "data" chunks, then "end". */
function fakeRequest(headers: Record<string, string>): EventEmitter & { headers: Record<string, string>; pause(): void } {
  return Object.assign(new EventEmitter(), { headers, pause() {} });
}

describe("readBody", () => {
  it("delivers a body as long as its Content-Length, or any body without one", () => {
    for (const headers of [{ "content-length": "6" }, {}]) {
      const request = fakeRequest(headers);
      const bodies: (string | undefined)[] = [];
      readBody(request, 100, (body) => bodies.push(body?.toString()));
      request.emit("data", Buffer.from("abc"));
      request.emit("data", Buffer.from("def"));
      request.emit("end");
      expect(bodies).toEqual(["abcdef"]);
    }
  });

  it("drops a body that ends short of its Content-Length: the client reset the request (HTTP/2 ends it as if complete)", () => {
    const request = fakeRequest({ "content-length": "10" });
    const bodies: (string | undefined)[] = [];
    readBody(request, 100, (body) => bodies.push(body?.toString()));
    request.emit("data", Buffer.from("abc"));
    request.emit("end");
    expect(bodies).toEqual([]);
  });

  it("stops at the limit and says so once", () => {
    const request = fakeRequest({});
    const bodies: (string | undefined)[] = [];
    readBody(request, 4, (body) => bodies.push(body?.toString()));
    request.emit("data", Buffer.from("abc"));
    request.emit("data", Buffer.from("def"));
    request.emit("data", Buffer.from("ghi"));
    request.emit("end");
    expect(bodies).toEqual([undefined]);
  });
});
