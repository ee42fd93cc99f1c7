package io.velo.connector.kafka;

import java.util.regex.Pattern;

/**
 * The Kafka a command uses, from {@code --kafka embedded|testcontainers|HOST:PORT}: a broker started for
 * the life of the command (embedded, or a Testcontainers container where a Docker engine runs), or an
 * existing cluster (nothing started, nothing stopped).
 */
public final class KafkaBrokers {
    private static final Pattern HOST_PORT = Pattern.compile("[^:\\s,]+:\\d{1,5}(,[^:\\s,]+:\\d{1,5})*");

    private KafkaBrokers() {
    }

    /** A Kafka to talk to; {@link #close()} stops it if this command started it. */
    public interface Broker extends AutoCloseable {
        /** Bootstrap servers for the clients. */
        String bootstrapServers();

        /** Stops a broker this command started; an existing cluster is left alone. */
        @Override
        void close();
    }

    /** Whether {@code spec} is a valid {@code --kafka} value. */
    public static boolean isValid(String spec) {
        return spec.equals("embedded") || spec.equals("testcontainers") || HOST_PORT.matcher(spec).matches();
    }

    /**
     * Starts (or names) the Kafka {@code spec} asks for.
     *
     * @throws IllegalArgumentException for a value that is none of embedded, testcontainers, HOST:PORT
     * @throws EmbeddedKafka.StartException when a broker cannot start (the message says why)
     */
    public static Broker open(String spec) {
        if (spec.equals("embedded")) {
            EmbeddedKafka kafka = new EmbeddedKafka();
            String bootstrap = kafka.start();
            return new Broker() {
                @Override
                public String bootstrapServers() {
                    return bootstrap;
                }

                @Override
                public void close() {
                    kafka.close();
                }
            };
        }
        if (spec.equals("testcontainers")) {
            return TestcontainersKafka.start();
        }
        if (!HOST_PORT.matcher(spec).matches()) {
            throw new IllegalArgumentException("--kafka expects embedded, testcontainers or HOST:PORT, got '" + spec + "'");
        }
        return new Broker() {
            @Override
            public String bootstrapServers() {
                return spec;
            }

            @Override
            public void close() {
                // an existing cluster: not ours to stop
            }
        };
    }

    /** How long a job waits at start for a Kafka cluster to answer before it gives up. */
    static final int REACH_TIMEOUT_SECONDS = 10;

    /**
     * Fails within {@link #REACH_TIMEOUT_SECONDS} when no Kafka cluster answers at {@code servers}: a
     * consumer would otherwise wait silently forever.
     */
    static void requireReachable(String servers, String who) {
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(REACH_TIMEOUT_SECONDS * 1000));
        org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p);
        try {
            admin.describeCluster().clusterId().get(REACH_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new io.velo.failure.JobFailedException(who + ": cannot reach Kafka at " + servers + " within "
                    + REACH_TIMEOUT_SECONDS + " s (is a broker running there? 'velo kafka start' runs one; --kafka embedded starts one for the job)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.velo.failure.JobFailedException(who + ": interrupted while connecting to Kafka at " + servers, e);
        } finally {
            admin.close(java.time.Duration.ofSeconds(1));
        }
    }
}
