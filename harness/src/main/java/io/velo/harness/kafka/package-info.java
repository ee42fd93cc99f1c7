/**
 * {@code velo bench kafka}: the engine's Kafka→SQL→Kafka job against a raw consume→produce pipe on the
 * same broker, records and client settings, each side in its own JVM, both outputs verified.
 */
package io.velo.harness.kafka;
