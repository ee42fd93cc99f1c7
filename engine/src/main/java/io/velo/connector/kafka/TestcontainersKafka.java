package io.velo.connector.kafka;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@code --kafka testcontainers}: an Apache Kafka container (the {@code apache/kafka} image of the
 * Kafka version Velo is built with) started through Testcontainers for the life of the command. Needs a
 * running Docker engine; without one, {@link #start()} fails with a message that says so.
 */
final class TestcontainersKafka implements KafkaBrokers.Broker {
    /** The image: the same Kafka release as the embedded broker and the clients. */
    static final String IMAGE = "apache/kafka:4.1.1";

    private final KafkaContainer container;

    private TestcontainersKafka(KafkaContainer container) {
        this.container = container;
    }

    /** Whether a Docker engine answers here (Testcontainers' own check). */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static TestcontainersKafka start() {
        if (!dockerAvailable()) {
            throw new EmbeddedKafka.StartException(
                    "--kafka testcontainers needs a running Docker engine and none answers here (use --kafka embedded, the default)", null);
        }
        KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw new EmbeddedKafka.StartException("the Kafka container did not start: " + e.getMessage(), e);
        }
        return new TestcontainersKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.close();
    }
}
