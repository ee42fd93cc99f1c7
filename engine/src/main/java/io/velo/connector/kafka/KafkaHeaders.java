package io.velo.connector.kafka;

import io.velo.batch.HeaderReader;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads the Kafka {@link Headers} a {@link KafkaSource} keeps per record, for {@code HEADER(name)}. */
final class KafkaHeaders {
    private KafkaHeaders() {
    }

    static final HeaderReader LAST_VALUE = (headers, name) -> {
        Header h = ((Headers) headers).lastHeader(name);
        return h == null ? null : h.value();
    };
}
