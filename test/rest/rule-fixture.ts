import { create, createFileRegistry, setExtension, type DescMethod, type MessageInitShape } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  MethodOptionsSchema,
  type FieldDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { http } from "../../packages/runtime/src/gen/google/api/annotations_pb.js";
import { HttpRuleSchema } from "../../packages/runtime/src/gen/google/api/http_pb.js";

type Init = MessageInitShape<typeof HttpRuleSchema>;

/**
 * A method `rules.v1.Rules.Call` whose `google.api.http` option is `rule`,
 * built as a descriptor in memory, for rules no .proto in the repo should
 * hold. Its request has `name` (string), `tags` (repeated string),
 * `inner` (a message with `id`) and `count` (int32); its response `title`.
 */
export function methodWithRule(rule: Init): DescMethod {
  const options = create(MethodOptionsSchema);
  setExtension(options, http, create(HttpRuleSchema, rule));
  const file = create(FileDescriptorProtoSchema, {
    name: "rules/v1/rules.proto",
    package: "rules.v1",
    syntax: "proto3",
    messageType: [
      { name: "Request", field: [scalar("name", 1), scalar("tags", 2, true), message("inner", 3, ".rules.v1.Inner"), int32("count", 4)] },
      { name: "Inner", field: [scalar("id", 1)] },
      { name: "Response", field: [scalar("title", 1)] },
    ],
    service: [{ name: "Rules", method: [{ name: "Call", inputType: ".rules.v1.Request", outputType: ".rules.v1.Response", options }] }],
  });
  const registry = createFileRegistry(file, () => undefined);
  const service = registry.getService("rules.v1.Rules");
  if (service === undefined) {
    throw new Error("fixture service missing");
  }
  return service.methods[0] as DescMethod;
}

function field(
  name: string,
  number: number,
  type: FieldDescriptorProto_Type,
  repeated = false,
  typeName?: string,
): MessageInitShape<never> & Partial<FieldDescriptorProto> {
  return {
    name,
    number,
    type,
    typeName,
    jsonName: name,
    label: repeated ? FieldDescriptorProto_Label.REPEATED : FieldDescriptorProto_Label.OPTIONAL,
  } as never;
}

function scalar(name: string, number: number, repeated = false) {
  return field(name, number, FieldDescriptorProto_Type.STRING, repeated);
}

function int32(name: string, number: number) {
  return field(name, number, FieldDescriptorProto_Type.INT32);
}

function message(name: string, number: number, typeName: string) {
  return field(name, number, FieldDescriptorProto_Type.MESSAGE, false, typeName);
}
