package io.velo.connector.kafka;

import io.velo.connector.spi.SourcePositions;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A Kafka source's positions: the offset after the last record handed out, per partition, and its group. */
record KafkaPositions(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) implements SourcePositions {
    @Override
    public boolean isEmpty() {
        return offsets.isEmpty();
    }
}
