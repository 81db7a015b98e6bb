import { clone, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  ServiceDescriptorProtoSchema,
  type CodeGeneratorRequest,
  type DescriptorProto,
  type FileDescriptorProto,
  type MethodOptions_IdempotencyLevel,
} from "@bufbuild/protobuf/wkt";
import { randomTools } from "./reliability-options.js";

type Tools = ReturnType<typeof randomTools>;
type Mutation = (request: CodeGeneratorRequest, tools: Tools) => string;

/** Names that trip generators: empty, not identifiers, reserved in JavaScript, or clashing with what generated code defines. */
const nastyNames = [
  "",
  " ",
  "a-b",
  "0abc",
  "a.b",
  "$",
  "class",
  "constructor",
  "__proto__",
  "prototype",
  "toString",
  "then",
  "await",
  "default",
  "Object",
  "Promise",
  "名前",
  "Ünïcødé",
  "x".repeat(300),
  "a\u0000b",
  "Definition",
  "Client",
  "Handlers",
];

const nastyTypes = ["", "NoLeadingDot", ".does.not.Exist", ".", "..", ".google.protobuf.Empty", ".google.protobuf.Timestamp"];

const parameters = [
  "",
  "target=ts",
  "target=js+dts",
  "target=ts+js+dts,import_extension=js",
  "target=ts,import_extension=none",
  "target=zz",
  "import_extension=",
  "runtime_package=../anything",
  "=,=,",
  "target",
  "target=ts,target=js",
  "keep_empty_files=true",
];

function messagesOf(file: FileDescriptorProto): DescriptorProto[] {
  const all: DescriptorProto[] = [];
  const visit = (message: DescriptorProto): void => {
    all.push(message);
    message.nestedType.forEach(visit);
  };
  file.messageType.forEach(visit);
  return all;
}

/** Things with a `name` in a request: packages aside, every declaration a generator reads. */
function namedElements(request: CodeGeneratorRequest): { name: string }[] {
  return request.protoFile.flatMap((file) => [
    ...file.service,
    ...file.service.flatMap((service) => service.method),
    ...messagesOf(file),
    ...messagesOf(file).flatMap((message) => [...message.field, ...message.enumType, ...message.oneofDecl]),
    ...file.enumType,
    ...file.enumType.flatMap((enumType) => enumType.value),
  ]);
}

const mutations: readonly Mutation[] = [
  (request, { pick }) => {
    const element = pick(namedElements(request));
    if (element === undefined) return "rename nothing";
    const name = pick(nastyNames);
    element.name = name;
    return `rename to ${JSON.stringify(name.slice(0, 20))}`;
  },
  (request, { pick }) => {
    const methods = request.protoFile.flatMap((file) => file.service.flatMap((service) => service.method));
    const method = pick(methods);
    if (method === undefined) return "retype nothing";
    const type = pick([...nastyTypes, ...request.protoFile.flatMap((file) => file.messageType.map((m) => `.${file.package}.${m.name}`))]);
    if (pick([true, false])) method.inputType = type;
    else method.outputType = type;
    return `method type ${type}`;
  },
  (request, { int }) => {
    if (request.protoFile.length === 0) return "drop nothing";
    const [dropped] = request.protoFile.splice(int(0, request.protoFile.length - 1), 1);
    return `drop ${dropped!.name}`;
  },
  (request, { pick }) => {
    const change = pick(["add missing", "clear", "duplicate"]);
    if (change === "add missing") request.fileToGenerate.push("no/such/file.proto");
    else if (change === "clear") request.fileToGenerate = [];
    else request.fileToGenerate.push(...request.fileToGenerate);
    return `file_to_generate: ${change}`;
  },
  (request, { int }) => {
    const files = request.protoFile;
    for (let index = files.length - 1; index > 0; index--) {
      const other = int(0, index);
      [files[index], files[other]] = [files[other]!, files[index]!];
    }
    return "shuffle files";
  },
  (request, { pick }) => {
    const file = pick(request.protoFile);
    if (file === undefined) return "syntax of nothing";
    file.syntax = pick(["", "proto2", "proto3", "editions", "proto4"]);
    file.edition = pick([0, 998, 999, 1000, 1001, 2, 99997, 99999, 0x7fffffff]);
    return `syntax ${file.syntax}, edition ${file.edition}`;
  },
  (request, { pick }) => {
    const method = pick(request.protoFile.flatMap((file) => file.service.flatMap((service) => service.method)));
    if (method === undefined) return "stream nothing";
    method.clientStreaming = pick([true, false]);
    method.serverStreaming = pick([true, false]);
    return "toggle streaming";
  },
  (request, { pick, int }) => {
    const field = pick(request.protoFile.flatMap((file) => messagesOf(file).flatMap((message) => message.field)));
    if (field === undefined) return "field of nothing";
    field.type = int(0, 20);
    field.label = int(0, 4);
    field.number = pick([0, -1, 19000, 536870912, field.number]);
    field.typeName = pick([...nastyTypes, field.typeName]);
    field.jsonName = pick(nastyNames);
    return "mangle a field";
  },
  (request, { pick, int }) => {
    const file = pick(request.protoFile);
    if (file?.sourceCodeInfo === undefined) return "no source info";
    for (const location of file.sourceCodeInfo.location) {
      location.path = location.path.map((part) => (pick([true, false, false]) ? int(-5, 50) : part));
      location.span = Array.from({ length: int(0, 5) }, () => int(-10, 10_000));
      // biome-ignore lint/suspicious/noTemplateCurlyInString: comment text that must not turn into a template.
      if (pick([true, false])) location.leadingComments = pick(["*/ oops /*", "\u2028", "${}`", "<!--", "x".repeat(5000)]);
    }
    return "corrupt source info";
  },
  (request, { pick }) => {
    const file = pick(request.protoFile);
    if (file === undefined) return "depend nothing";
    file.dependency.push(pick([file.name, "missing/dep.proto", file.dependency[0] ?? "x.proto"]));
    return "odd dependency";
  },
  (request, { pick }) => {
    request.parameter = pick(parameters);
    return `parameter ${JSON.stringify(request.parameter)}`;
  },
  (request, { pick }) => {
    const file = pick(request.protoFile);
    if (file === undefined) return "package of nothing";
    file.package = pick(["", "a..b", ".lead", "x-y", "class", "__proto__.v1", file.package]);
    return `package ${JSON.stringify(file.package)}`;
  },
  (request, { pick }) => {
    const file = pick(request.protoFile.filter((f) => f.service.length > 0));
    if (file === undefined) return "duplicate nothing";
    const service = pick(file.service)!;
    // Through bytes, not clone(): clone() rejects the out-of-range enum values another mutation may have set.
    file.service.push(fromBinary(ServiceDescriptorProtoSchema, toBinary(ServiceDescriptorProtoSchema, service)));
    if (service.method.length > 0) service.method.push(service.method[0]!);
    return "duplicate a service and a method";
  },
  (request, { pick }) => {
    const method = pick(request.protoFile.flatMap((file) => file.service.flatMap((service) => service.method)));
    if (method?.options === undefined) return "options of nothing";
    method.options.deprecated = pick([true, false]);
    // Out-of-range values, as a request from a newer protoc could carry.
    method.options.idempotencyLevel = pick([0, 1, 2, 3, 99, -1]) as MethodOptions_IdempotencyLevel;
    return "method options";
  },
];

/**
 * A copy of `request` with 1 to 3 structural mutations (renames to names
 * that are not identifiers or that clash, missing or shuffled files and
 * types, broken options and source info, odd parameters); returns it and
 * what was done, for the report.
 */
export function mutateRequest(request: CodeGeneratorRequest, random: () => number): { request: CodeGeneratorRequest; done: string[] } {
  const tools = randomTools(random);
  const copy = clone(CodeGeneratorRequestSchema, request);
  const done: string[] = [];
  for (let count = tools.int(1, 3); count > 0; count--) {
    done.push(tools.pick(mutations)(copy, tools));
  }
  return { request: copy, done };
}
