export type { Codec, CodecChoice, MessageCodec } from "./codec.js";
export { compiledCodec } from "./compiled-codec.js";
export { protobufEsCodec } from "./protobuf-es-codec.js";
export { createSerializer, createDeserializer, type Serializer, type Deserializer } from "./serializers.js";
