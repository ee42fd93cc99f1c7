package io.velo.connector.kafka;

/**
 * The sink contract for {@link KafkaSink} in {@code 'mode' = 'transactional'}: rows visible to
 * {@code read_committed} readers at {@code commitTransaction} only. A transactional job must read a
 * Kafka source, so the planned job has one (never opened).
 */
class KafkaTransactionalSinkContractTest extends KafkaSinkContractTest {
    @Override
    protected String sourceProperties() {
        return "'src.type' = 'kafka_source', 'src.topic' = 'never-read'";
    }

    @Override
    protected String sinkProperties(String output) {
        return super.sinkProperties(output) + ", 'mode' = 'transactional', 'out.kafka.transactional.id' = '" + unique("tx") + "'";
    }

    @Override
    protected boolean transactional() {
        return true;
    }
}
