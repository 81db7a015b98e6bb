import { createFileRegistry, type DescService } from "@bufbuild/protobuf";
import type { FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import * as codegen from "@stubwright/runtime/codegenv1";
import { beforeAll, describe, expect, it } from "vitest";
import { compileProtos, createRequest, generateInProcess } from "../support/plugin-request.js";

/**
 * Generated names are part of the API users import, so they must follow
 * from the names a file declares, never from where it declares them or from
 * what else is generated alongside: reordering a .proto file or running
 * buf with another strategy must not rename anything.
 */

const messages = "message Ping { string text = 1; }\nmessage Pong { string text = 1; }\n";
// Services and methods whose generated names collide: the factories of
// Widget, widget and the client interface of createWidget; methods that meet
// after lowerCamelCase (getFoo) and after the `$` of unsafe names (then$).
const widget = `service Widget {
  rpc GetFoo(Ping) returns (Pong);
  rpc get_foo(Ping) returns (stream Pong);
  rpc Get_Foo(stream Ping) returns (Pong);
  rpc Then(Ping) returns (Pong);
  rpc then_(Ping) returns (Pong);
  rpc then(Ping) returns (Pong);
}
`;
const lowerWidget = "service widget {\n  rpc Call(Ping) returns (Pong);\n}\n";
const createWidget = "service createWidget {\n  rpc Call(Ping) returns (Pong);\n}\n";
const reversedWidget = widget
  .split("\n")
  .filter((line) => line.startsWith("  rpc"))
  .reverse()
  .join("\n");

const protos = {
  "order/v1/forward.proto": `syntax = "proto3";\npackage order.v1;\n${messages}${widget}${lowerWidget}${createWidget}`,
  "order/v2/backward.proto": `syntax = "proto3";\npackage order.v2;\n${messages}${createWidget}${lowerWidget}service Widget {\n${reversedWidget}\n}\n`,
  // Same service names in other packages, generated alongside.
  "other/v1/other.proto": `syntax = "proto3";\npackage other.v1;\nimport "order/v1/forward.proto";\n${lowerWidget.replace(/Ping|Pong/g, "order.v1.$&")}${widget.replace(/\((stream )?(Ping|Pong)\)/g, "($1order.v1.$2)")}`,
  "other/v2/more.proto": `syntax = "proto3";\npackage other.v2;\n${messages}${createWidget}${widget}`,
};

let set: FileDescriptorSet;
beforeAll(() => {
  set = compileProtos(protos);
});

function generate(files: readonly string[]): ReadonlyMap<string, string> {
  const result = generateInProcess(createRequest(set, files, "target=ts+js+dts,import_extension=js"));
  expect(result.error).toBe("");
  return result.files;
}

/**
 * What a generated file means to its users, without the package name: each
 * export and what it is for, and each definition key and the RPC it calls.
 * The definitions are the runtime's, made by running the CommonJS output
 * against the descriptors the file compiles to.
 */
function surface(file: string): Record<string, string> {
  const files = generateInProcess(createRequest(set, [file], "target=ts+js,js_import_style=legacy_commonjs")).files;
  const content = files.get(file.replace(/\.proto$/, "_grpc.ts")) ?? "";
  const entries: [string, string][] = [];
  const unpackaged = (path: string) => path.replace(/^\/[\w.]*\./, "/");
  for (const [name, definition] of Object.entries(loadDefinitions(file, files.get(file.replace(/\.proto$/, "_grpc.js")) ?? ""))) {
    for (const [key, method] of Object.entries(definition)) {
      entries.push([`${name}.${key}`, unpackaged(method.path)]);
    }
  }
  for (const match of content.matchAll(/^export function (\S+)\(source[\s\S]*?return createClient\((\S+),/gm)) {
    entries.push([`${match[1]}()`, `client of ${match[2]}`]);
  }
  for (const match of content.matchAll(/^export interface (\S+) \{/gm)) {
    const [, name = ""] = match;
    // The service named in the JSDoc just above.
    const doc = content.slice(0, match.index);
    entries.push([name, [...doc.matchAll(/@generated from service \S+\.(\w+)/g)].at(-1)?.[1] ?? ""]);
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Runs a generated CommonJS `_grpc.js` with the file's service descriptors as its `_pb` module; returns its definitions. */
function loadDefinitions(file: string, js: string): Record<string, Readonly<Record<string, codegen.MethodDefinition>>> {
  const services: Record<string, DescService> = {};
  for (const service of createFileRegistry(set).getFile(file)?.services ?? []) {
    services[service.name] = service;
  }
  const exports: Record<string, unknown> = {};
  const require = (id: string): unknown => (id === "@stubwright/runtime/codegenv1" ? codegen : id.endsWith("_pb") ? services : {});
  new Function("require", "exports", js)(require, exports);
  return Object.fromEntries(Object.entries(exports).filter(([name]) => name.endsWith("Definition"))) as never;
}

describe("generated names do not depend on order", () => {
  it("reordering the services and methods of a file renames nothing", () => {
    const forward = surface("order/v1/forward.proto");
    const backward = surface("order/v2/backward.proto");
    expect(backward).toEqual(forward);
    // The names themselves: the spelling that fits keeps the plain name, the others keep their proto name.
    expect(forward).toMatchObject({
      "WidgetDefinition.getFoo": "/Widget/GetFoo",
      "WidgetDefinition.get_foo": "/Widget/get_foo",
      "WidgetDefinition.Get_Foo": "/Widget/Get_Foo",
      "WidgetDefinition.then$": "/Widget/then",
      "WidgetDefinition.Then": "/Widget/Then",
      "WidgetDefinition.then_": "/Widget/then_",
      "createwidgetClient()": "client of widgetDefinition",
      createWidgetClient: "createWidget",
      "createWidgetClient$1()": "client of WidgetDefinition",
      "createCreateWidgetClient()": "client of createWidgetDefinition",
    });
  });

  it("a file generates the same bytes alone, alongside other files and in any request order", () => {
    const files = ["order/v1/forward.proto", "other/v1/other.proto", "other/v2/more.proto"];
    const alone = generate(["order/v1/forward.proto"]);
    for (const request of [files, [...files].reverse(), [files[1]!, files[0]!], [files[2]!, files[0]!, files[1]!]]) {
      const together = generate(request);
      for (const [name, content] of alone) {
        expect(together.get(name), `${name} generated with ${request.join(", ")}`).toBe(content);
      }
    }
  });
});
