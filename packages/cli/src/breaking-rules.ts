/**
 * What each common breaking rule means for the people running the old
 * schema: one line a reviewer can act on. "Old clients" are programs (clients
 * or servers) built from the schema before the change and still deployed.
 */
const explanations: Readonly<Record<string, string>> = {
  FIELD_NO_DELETE:
    "Old clients still send and expect this field: the new side drops its value silently, JSON readers reject the unknown name, and code using it no longer compiles; reserve the number and name instead.",
  FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED:
    "The number is free for reuse: a later field with it would be decoded by old clients as this one, corrupting data; add `reserved <number>;`.",
  FIELD_NO_DELETE_UNLESS_NAME_RESERVED:
    'The name is free for reuse: JSON clients on the old schema would fill a later field of that name with this one\'s values; add `reserved "<name>";`.',
  FIELD_SAME_TYPE:
    "Old clients decode this field with its old type: they fail to parse the message or read wrong values (truncated numbers, garbled strings), and generated code changes type.",
  FIELD_WIRE_COMPATIBLE_TYPE: "The new type is encoded differently in binary: old clients fail to parse the message or read wrong values.",
  FIELD_WIRE_JSON_COMPATIBLE_TYPE: "The new type is encoded differently in binary or JSON: old clients fail to parse the message or read wrong values.",
  FIELD_SAME_CARDINALITY:
    "Singular, repeated, map and optional encode and merge differently: old clients keep only the last value, lose values or fail to parse, and generated code changes type.",
  FIELD_WIRE_COMPATIBLE_CARDINALITY: "Old clients decode the field with its old cardinality: they keep only the last value or fail to parse the message.",
  FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY:
    "Old clients decode the field with its old cardinality, in binary or JSON: they lose values or fail to parse the message.",
  FIELD_SAME_NAME:
    "Code generated from the old schema uses the old name and no longer compiles, and JSON clients that send the old name are ignored or rejected.",
  FIELD_SAME_JSON_NAME:
    "JSON clients (Connect, gRPC-Gateway, protojson) send and expect the old JSON name: their value is ignored or rejected, and they miss the new one.",
  FIELD_SAME_ONEOF: "Fields in a oneof clear each other: old clients that set this field with its old siblings lose values, and generated code changes shape.",
  FIELD_SAME_DEFAULT: "Old clients read an unset field as the old default: the two sides disagree on the value without any error.",
  ONEOF_NO_DELETE: "Code generated from the old schema uses this oneof and no longer compiles; old clients still treat its fields as exclusive.",
  MESSAGE_NO_DELETE:
    "Code that uses this message no longer compiles, and old clients that send it (in a google.protobuf.Any, say) reach a server that cannot resolve its type.",
  PACKAGE_MESSAGE_NO_DELETE: "Code that uses this message no longer compiles, and payloads of its type (in a google.protobuf.Any) no longer resolve.",
  MESSAGE_SAME_REQUIRED_FIELDS: "A proto2 required field added or removed: messages from the side without it fail to parse on the side with it.",
  ENUM_NO_DELETE: "Code that uses this enum no longer compiles.",
  PACKAGE_ENUM_NO_DELETE: "Code that uses this enum no longer compiles.",
  ENUM_VALUE_NO_DELETE:
    "Old clients still send this value: the new side sees an unknown number (an error in JSON), and code using the constant no longer compiles.",
  ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED:
    "The number is free for reuse: a later value with it would mean something else to old clients; add `reserved <number>;`.",
  ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED:
    'The name is free for reuse: JSON clients on the old schema would send it meaning the old value; add `reserved "<name>";`.',
  ENUM_VALUE_SAME_NAME: "JSON clients send and expect enum values by name: the old name is rejected, and code using the old constant no longer compiles.",
  RESERVED_MESSAGE_NO_DELETE: "A reserved number or name becomes reusable while old clients still read it with its old meaning.",
  RESERVED_ENUM_NO_DELETE: "A reserved number or name becomes reusable while old clients still read it with its old meaning.",
  RPC_NO_DELETE: "Old clients still call this method: their calls fail with UNIMPLEMENTED.",
  SERVICE_NO_DELETE: "Old clients still call this service: every call fails with UNIMPLEMENTED.",
  PACKAGE_SERVICE_NO_DELETE: "Old clients still call this service: every call fails with UNIMPLEMENTED.",
  RPC_SAME_REQUEST_TYPE: "Old clients send the old request type: the server parses it as the new one and reads missing or wrong fields.",
  RPC_SAME_RESPONSE_TYPE: "Old clients parse responses as the old type: they read missing or wrong fields.",
  RPC_SAME_CLIENT_STREAMING: "Old clients call with the old call kind (unary or streaming): their calls fail, and generated client methods change signature.",
  RPC_SAME_SERVER_STREAMING: "Old clients call with the old call kind (unary or streaming): their calls fail, and generated client methods change signature.",
  RPC_SAME_IDEMPOTENCY_LEVEL:
    "Clients decide on retries (and HTTP GET) from the idempotency level: old ones retry calls that are no longer safe to repeat, or stop retrying.",
  FILE_NO_DELETE: "Files that import it, and code generated from it, no longer build.",
  FILE_SAME_PACKAGE:
    "The package is part of every type and method name: old clients call /old.package.Service/Method and get UNIMPLEMENTED, and their types no longer resolve.",
  PACKAGE_NO_DELETE: "Old clients call methods of this package and get UNIMPLEMENTED, and code using its types no longer compiles.",
  FILE_SAME_SYNTAX: "proto2, proto3 and editions differ in field presence and defaults: old clients may read unset fields differently.",
  FILE_SAME_GO_PACKAGE: "Generated Go code moves to another import path: Go code that imports it no longer builds.",
  FILE_SAME_JAVA_PACKAGE: "Generated Java code moves to another package: Java code that imports it no longer builds.",
};

/** One line explaining a breaking finding for a reviewer, or undefined for a rule without one (buf's message says what changed). */
export function explainBreaking(rule: string): string | undefined {
  return explanations[rule];
}
