package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code --kafka embedded|testcontainers|HOST:PORT}: which Kafka a command gets. */
class KafkaBrokersTest {
    @Test
    void anExistingClusterIsNamedNotStarted() {
        try (KafkaBrokers.Broker b = KafkaBrokers.open("kafka1:9092,kafka2:9092")) {
            assertEquals("kafka1:9092,kafka2:9092", b.bootstrapServers());
        }
        assertTrue(KafkaBrokers.isValid("localhost:9092"));
        assertFalse(KafkaBrokers.isValid("nowhere"));
        assertThrows(IllegalArgumentException.class, () -> KafkaBrokers.open("nowhere"));
    }

    @Test
    void testcontainersWithoutDockerIsAClearError() {
        Assumptions.assumeFalse(TestcontainersKafka.dockerAvailable(), "a Docker engine runs here: the container test covers this");
        EmbeddedKafka.StartException e = assertThrows(EmbeddedKafka.StartException.class, () -> KafkaBrokers.open("testcontainers"));
        assertTrue(e.getMessage().contains("needs a running Docker engine"), e.getMessage());
    }

    @Test
    void testcontainersKafkaServesClients() throws Exception {
        Assumptions.assumeTrue(TestcontainersKafka.dockerAvailable(),
                "no Docker engine runs here: --kafka testcontainers cannot be tested (the embedded broker is the default)");
        try (KafkaBrokers.Broker b = KafkaBrokers.open("testcontainers");
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("t", 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("t"));
        }
    }
}
