/** Public barrel of the serde module: the serde contract, the built-in serializers and the `Serdes` factory. */
export type { Deserializer, Serde, Serializer } from './serde';
export { Bytes } from './bytes';
export {
  BigIntDeserializer,
  BigIntSerializer,
  DoubleDeserializer,
  DoubleSerializer,
  FloatDeserializer,
  FloatSerializer,
  IntegerDeserializer,
  IntegerSerializer,
  LongDeserializer,
  LongSerializer,
  ShortDeserializer,
  ShortSerializer,
} from './numeric';
export { StringDeserializer, StringSerializer, UUIDDeserializer, UUIDSerializer } from './text';
export {
  BooleanDeserializer,
  BooleanSerializer,
  ByteArrayDeserializer,
  ByteArraySerializer,
  BytesDeserializer,
  BytesSerializer,
  VoidDeserializer,
  VoidSerializer,
} from './binary';
export { JsonDeserializer, JsonSerializer, type JsonSerdeOptions } from './json';
export { ListDeserializer, ListSerializer } from './list-serde';
export { Serdes, WrapperSerde } from './serdes';
