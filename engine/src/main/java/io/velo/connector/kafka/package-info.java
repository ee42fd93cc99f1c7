/**
 * Apache Kafka: the embedded broker ({@link io.velo.connector.kafka.EmbeddedKafka}).
 */
package io.velo.connector.kafka;
