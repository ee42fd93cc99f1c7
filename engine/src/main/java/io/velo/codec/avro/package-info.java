/**
 * Avro on Kafka: the schema is Apache Avro's ({@code org.apache.avro.Schema}: parsing, canonical form,
 * fingerprints); the binary datums are read and written here, field by field straight between the
 * message bytes and the batch's columns, so no GenericRecord or boxed value exists per message.
 */
package io.velo.codec.avro;
