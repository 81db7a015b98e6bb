import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { create, createFileRegistry, fromBinary, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldOptions_JSType,
  FileDescriptorProtoSchema,
  type FieldDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import { createDeserializer, createSerializer } from "@stubwright/runtime/codec";
import { describe, expect, it } from "vitest";
import { selfCheck } from "../../packages/runtime/src/codec/self-check.js";
import { conformanceSchemas, fixtureMessageTypes, mustCompile } from "./codec-fixtures.js";

/** A one-message proto3 file built in memory: `probe.Probe` with the given fields. */
function probeType(fields: MessageInitShape<typeof FieldDescriptorProtoSchema>[]): DescMessage {
  const file = create(FileDescriptorProtoSchema, {
    name: "probe.proto",
    package: "probe",
    syntax: "proto3",
    messageType: [{ name: "Probe", field: fields }],
  });
  return createFileRegistry(file, () => undefined).getMessage("probe.Probe")!;
}

function int64Field(init: MessageInitShape<typeof FieldDescriptorProtoSchema> = {}): MessageInitShape<typeof FieldDescriptorProtoSchema> {
  return { name: "id", jsonName: "id", number: 1, type: FieldDescriptorProto_Type.INT64, label: FieldDescriptorProto_Label.OPTIONAL, ...init };
}

/** Collects the process warnings emitted while `run` runs (and the tick after). */
async function warningsDuring(run: () => void): Promise<Error[]> {
  const warnings: Error[] = [];
  const listener = (warning: Error): void => {
    warnings.push(warning);
  };
  process.on("warning", listener);
  try {
    run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", listener);
  }
  return warnings;
}

describe("the compiled codec's self-check", () => {
  it("passes for every conformance and fixture type with this protobuf-es", () => {
    const failures = [...conformanceSchemas, ...fixtureMessageTypes()]
      .map((type) => [type.typeName, selfCheck(type, mustCompile(type))] as const)
      .filter(([, reason]) => reason !== undefined);
    expect(failures).toEqual([]);
  });

  it("detects code that represents a message differently from protobuf-es", () => {
    // The same wire format; protobuf-es holds a bigint, the code a string
    // (as if protobuf-es had changed how it represents 64-bit integers).
    const asBigint = probeType([int64Field()]);
    const asString = probeType([int64Field({ options: { jstype: FieldOptions_JSType.JS_STRING } })]);
    expect(selfCheck(asBigint, mustCompile(asString))).toMatch(/decoding differs from fromBinary at probe\.id/);
    // Explicit presence (no own property until set) against implicit (a zero value).
    const explicit = probeType([int64Field({ proto3Optional: true, oneofIndex: 0 })]);
    const implicit = probeType([int64Field()]);
    expect(selfCheck(implicit, mustCompile(explicit))).toMatch(/empty message/);
    expect(selfCheck(asBigint, mustCompile(implicit))).toBeUndefined();
  });
});

describe("types the compiled codec does not support", () => {
  it("are left to protobuf-es, with one process warning naming the type and the reason", async () => {
    const schema = probeType([int64Field()]);
    // A presence value this code does not know (as from a newer protobuf-es);
    // protobuf-es treats any non-implicit presence as explicit.
    Object.defineProperty(schema.fields[0]!, "presence", { value: 4 });
    const message = create(schema, { id: 5n } as never);
    const warnings = await warningsDuring(() => {
      for (let i = 0; i < 3; i++) {
        const bytes = createSerializer(schema)(message as never);
        expect(bytes.equals(Buffer.from(toBinary(schema, message)))).toBe(true);
        expect(createDeserializer(schema)(bytes)).toEqual(fromBinary(schema, bytes));
      }
    });
    expect(warnings.map((w) => [w.name, (w as Error & { code?: string }).code, w.message])).toEqual([
      ["Warning", "STUBWRIGHT_CODEC_FALLBACK", expect.stringMatching(/probe\.Probe.*unknown field presence 4/)],
    ]);
  });

  it("include 64-bit fields when BigInt is disabled (BUF_BIGINT_DISABLE=1), and say so on stderr", async () => {
    // A process of its own: protobuf-es reads the variable when it loads.
    const script = `
      import { create, toBinary } from "@bufbuild/protobuf";
      import { TimestampSchema } from "@bufbuild/protobuf/wkt";
      import { createDeserializer, createSerializer } from "@stubwright/runtime/codec";
      const warnings = [];
      process.on("warning", (w) => warnings.push(w.code));
      const message = create(TimestampSchema, { seconds: "1234567890123", nanos: 5 });
      const results = [];
      for (let i = 0; i < 3; i++) {
        const bytes = createSerializer(TimestampSchema)(message);
        results.push(bytes.equals(toBinary(TimestampSchema, message)) && createDeserializer(TimestampSchema)(bytes).seconds === "1234567890123");
      }
      setImmediate(() => console.log(JSON.stringify({ results, warnings })));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, BUF_BIGINT_DISABLE: "1" },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ results: [true, true, true], warnings: ["STUBWRIGHT_CODEC_FALLBACK"] });
    expect(stderr).toMatch(/STUBWRIGHT_CODEC_FALLBACK.*google\.protobuf\.Timestamp.*64-bit integers without BigInt support/);
  });
});
