/**
 * Protobuf on Kafka without code generation: the {@code .proto} file is parsed by Square Wire's
 * parser, linked into descriptors by protobuf-java, and messages are read and written here field by
 * field between the wire bytes and the batch's columns (no DynamicMessage per record).
 */
package io.velo.codec.protobuf;
