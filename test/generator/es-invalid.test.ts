import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { DescService } from "@bufbuild/protobuf";
import { closeClient, Code, createClient, createServer, RpcError, type ServiceDefinition, type StubwrightServer } from "@stubwright/runtime";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufGenerate, goldenVariants, repoRoot } from "../support/generate-code.mjs";
import { callByKind, createRoutingHandlers, expectedAnswers } from "../support/routing-check.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

// test/fixtures/protos-es-invalid holds constructs for which protoc-gen-es
// itself prints invalid TypeScript (methods GetFoo and getFoo, messages named
// `any`, `keyof`, ...). They are kept out of the goldens; here the output is
// generated afresh, our files must type-check, and the services must work.
const out = join(repoRoot, ".stubwright-tmp/es-invalid");
const dir = (variant: string) => join(out, variant, "esinvalid/v1");

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  for (const variant of goldenVariants) {
    bufGenerate("test/fixtures/protos-es-invalid", join(out, variant.name), variant.options);
  }
});

describe("constructs protoc-gen-es cannot type", () => {
  it("our ts and d.ts type-check strictly; only protoc-gen-es's files have errors", () => {
    // Not keywords: in protoc-gen-es's keywords_pb.ts, `GenMessage<any>` means
    // the keyword, so its schemas are not DescMessages for any consumer (see below).
    // skipLibCheck keeps this fast; our declaration file is checked as a .ts copy.
    const declarations = "js-dts/esinvalid/v1/collide_grpc_declarations.ts";
    copyFileSync(join(out, "js-dts/esinvalid/v1/collide_grpc.d.ts"), join(out, declarations));
    const files = ["ts/esinvalid/v1/collide_grpc.ts", declarations];
    const program = ts.createProgram(
      files.map((file) => join(out, file)),
      {
        target: ts.ScriptTarget.ES2022,
        lib: ["lib.es2023.d.ts"],
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        types: ["node"],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        noEmit: true,
      },
    );
    const byFile = new Map<string, string[]>();
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const name = diagnostic.file === undefined ? "(global)" : diagnostic.file.fileName.slice(out.length + 1);
      byFile.set(name, [...(byFile.get(name) ?? []), ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")]);
    }
    const ours = [...byFile].filter(([name]) => !/_pb\.(d\.)?ts$/.test(name));
    expect(ours).toEqual([]);
    // If protoc-gen-es learns these constructs, this fixture belongs with the others.
    expect([...byFile.keys()]).toContain("ts/esinvalid/v1/collide_pb.ts");
  });

  it.each(["ts/esinvalid/v1/keywords_grpc.ts", "js-dts/esinvalid/v1/keywords_grpc.d.ts"])(
    "%s refers to messages named like type keywords through their schemas",
    (file) => {
      const source = readFileSync(join(out, file), "utf8");
      // `Promise<unknown>` would silently mean the keyword, `Promise<keyof>` not parse.
      expect(source).not.toMatch(/import type \{[^}]*\b(any|unknown|never|keyof|symbol|undefined)\b[^}]*\} from "\.\/keywords_pb\.js"/);
      expect(source).not.toMatch(/<(any|unknown|never|keyof|symbol|undefined)>/);
      expect(source).toContain("Promise<MessageShape<typeof unknownSchema>>");
      expect(source).toContain("AsyncIterable<MessageShape<typeof neverSchema>>");
    },
  );

  it("a GenService whose methods share a local name is refused; the generated definition names them apart", async () => {
    const { Collide } = (await import(pathToFileURL(join(dir("js-dts"), "collide_pb.js")).href)) as { Collide: DescService };
    expect(() => createClient(Collide, "127.0.0.1:1")).toThrow(/esinvalid\.v1\.Collide: methods GetFoo and getFoo both have the property name "getFoo"/);
    expect(() => createServer().add(Collide, {})).toThrow(TypeError);
    const { CollideDefinition } = (await import(pathToFileURL(join(dir("js-dts"), "collide_grpc.js")).href)) as { CollideDefinition: ServiceDefinition };
    expect(Object.keys(CollideDefinition).sort()).toEqual(["GetFoo", "Then", "getFoo", "then$"]);
  });

  describe.each(["ts", "js"])("%s output over 127.0.0.1", (target) => {
    let definitions: [string, ServiceDefinition][] = [];
    let factories: [string, (address: string) => object][] = [];
    let server: StubwrightServer;
    let address: string;
    beforeAll(async () => {
      const variant = target === "ts" ? "ts" : "js-dts";
      // keywords_pb.ts does not even parse (`export type any = ...`); its js does.
      for (const name of target === "ts" ? ["collide_grpc"] : ["collide_grpc", "keywords_grpc"]) {
        const module = (await import(pathToFileURL(join(dir(variant), `${name}.${target}`)).href)) as Record<string, unknown>;
        for (const [key, value] of Object.entries(module)) {
          if (key.endsWith("Definition")) {
            definitions.push([key, value as ServiceDefinition]);
          } else {
            factories.push([key, value as (address: string) => object]);
          }
        }
      }
      server = createServer({ onError: () => {} });
      for (const [, definition] of definitions) {
        server.add(definition, createRoutingHandlers(definition));
      }
      address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
    });
    afterAll(() => {
      server?.forceShutdown();
      definitions = [];
      factories = [];
    });

    it("every method reaches its own RPC", async () => {
      expect(definitions.map(([name]) => name).sort()).toEqual(target === "ts" ? ["CollideDefinition"] : ["CollideDefinition", "KeywordsDefinition"]);
      for (const [name, definition] of definitions) {
        const factory = factories.find(([factoryName]) => factoryName === `create${name.replace(/Definition$/, "")}Client`)![1];
        const client = factory(address);
        try {
          for (const key of Object.keys(definition)) {
            expect(await callByKind(client, definition, key, key), `${name}.${key}`).toEqual(expectedAnswers(definition, key, key));
          }
        } finally {
          closeClient(client);
        }
      }
      const collide = definitions.find(([name]) => name === "CollideDefinition")![1];
      expect(Object.fromEntries(Object.entries(collide).map(([key, method]) => [key, method.path]))).toEqual({
        // The method spelled like the lowerCamelCase key keeps it; the other keeps its proto name.
        GetFoo: "/esinvalid.v1.Collide/GetFoo",
        getFoo: "/esinvalid.v1.Collide/getFoo",
        Then: "/esinvalid.v1.Collide/Then",
        then$: "/esinvalid.v1.Collide/then",
      });
    });

    it("an unimplemented getFoo is not served by GetFoo's handler", async () => {
      // grpc-js falls back to a handler named like the proto method; no key may
      // serve a method it was not generated for.
      const collide = definitions.find(([name]) => name === "CollideDefinition")![1];
      const partial = createServer({ onError: () => {} }).add(collide, { GetFoo: () => ({ method: "GetFoo's handler" }) });
      const port = await partial.listen("127.0.0.1:0");
      const factory = factories.find(([name]) => name === "createCollideClient")![1];
      const client = factory(`127.0.0.1:${port}`) as Record<string, (request: object) => Promise<{ method: string }>>;
      try {
        expect((await client.GetFoo!({})).method).toBe("GetFoo's handler");
        const error = await client.getFoo!({}).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RpcError);
        expect((error as RpcError).code).toBe(Code.UNIMPLEMENTED);
      } finally {
        closeClient(client);
        partial.forceShutdown();
      }
    });
  });
});
