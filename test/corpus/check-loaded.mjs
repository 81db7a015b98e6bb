import { createRequire } from "node:module";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import { closeClient, createServer } from "@stubwright/runtime";
import { listFiles } from "./corpus-files.mjs";

const require = createRequire(import.meta.url);
const { makeGenericClientConstructor } = require("@grpc/grpc-js");

/**
 * Imports every generated .js under `dir` in this process and checks each
 * `_grpc.js` against the services of its `_pb.js`: one definition, client
 * factory and set of methods per service, every method with the right path,
 * kind and schemas (the very objects protoc-gen-es exported), and
 * serializers, a server and grpc-js's generic client that accept it.
 *
 * @param {string} dir
 * @returns {Promise<{ modules: number, services: number }>}
 */
export async function checkLoadedFiles(dir) {
  const files = listFiles(dir, ".js");
  const problems = [];
  let services = 0;
  for (const file of files) {
    if (!file.endsWith("_grpc.js")) {
      const module = await load(file, problems);
      const declaresServices = Object.values(module ?? {}).some((value) => value?.kind === "service");
      if (file.endsWith("_pb.js") && declaresServices && !files.includes(file.replace(/_pb\.js$/, "_grpc.js"))) {
        problems.push(`${relative(dir, file)}: declares services, but no _grpc.js was generated`);
      }
      continue;
    }
    const grpcModule = await load(file, problems);
    const pbModule = await load(file.replace(/_grpc\.js$/, "_pb.js"), problems);
    if (grpcModule === undefined || pbModule === undefined) {
      continue;
    }
    const name = relative(dir, file);
    try {
      services += checkFile(grpcModule, pbModule);
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`generated JavaScript failed in Node:\n${problems.join("\n")}`);
  }
  return { modules: files.length, services };
}

async function load(file, problems) {
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    problems.push(`${file}: does not load: ${error instanceof Error ? error.stack : String(error)}`);
    return undefined;
  }
}

function checkFile(grpcModule, pbModule) {
  const descs = Object.values(pbModule).filter((value) => value?.kind === "service");
  const definitions = Object.entries(grpcModule).filter(([name]) => /Definition(\$\d+)?$/.test(name));
  const factories = Object.entries(grpcModule).filter(([name, value]) => /^create.*Client(\$\d+)?$/.test(name) && typeof value === "function");
  if (descs.length === 0 || definitions.length !== descs.length || factories.length !== descs.length) {
    throw new Error(`${descs.length} services, but ${definitions.length} definitions and ${factories.length} client factories`);
  }
  for (const desc of descs) {
    // Services are matched by name; a service without methods has an empty definition.
    const match = definitions.find(
      ([name, definition]) =>
        name.replace(/\$\d+$/, "") === `${desc.name}Definition` && Object.values(definition).every((entry) => entry.path.startsWith(`/${desc.typeName}/`)),
    );
    if (match === undefined) {
      throw new Error(`no definition for ${desc.typeName}`);
    }
    checkDefinition(desc, match[0], match[1]);
  }
  for (const [name, factory] of factories) {
    const client = factory("127.0.0.1:1");
    const definition = definitions.find(
      ([defName]) => `create${defName.replace(/Definition(\$\d+)?$/, "")}Client`.toLowerCase() === name.replace(/\$\d+$/, "").toLowerCase(),
    );
    for (const key of Object.keys(definition?.[1] ?? {})) {
      if (typeof client[key] !== "function") {
        throw new Error(`${name}() returned a client without method ${key}`);
      }
    }
    closeClient(client);
  }
  return descs.length;
}

function checkDefinition(desc, name, definition) {
  if (Object.getPrototypeOf(definition) !== Object.prototype) {
    throw new Error(`${name} has a modified prototype`);
  }
  const entries = Object.entries(definition);
  if (entries.length !== desc.methods.length) {
    throw new Error(`${name} has ${entries.length} methods, ${desc.typeName} has ${desc.methods.length}`);
  }
  for (const method of desc.methods) {
    const path = `/${desc.typeName}/${method.name}`;
    const found = entries.filter(([, entry]) => entry.path === path);
    if (found.length !== 1) {
      throw new Error(`${name} has ${found.length} entries for ${path}`);
    }
    const [key, entry] = found[0];
    if (entry.kind !== method.methodKind || entry.requestSchema !== method.input || entry.responseSchema !== method.output) {
      throw new Error(`${name}.${key} does not match ${method.toString()}`);
    }
    const request = entry.requestDeserialize(entry.requestSerialize({}));
    if (request.$typeName !== method.input.typeName) {
      throw new Error(`${name}.${key} does not round-trip ${method.input.typeName}`);
    }
  }
  if (entries.length > 0) {
    // grpc-js refuses services without methods.
    createServer({ onError: () => {} }).add(definition, {});
  }
  makeGenericClientConstructor(definition, desc.typeName);
}
