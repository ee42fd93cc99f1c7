package io.velo.harness.run;

import io.velo.connector.kafka.KafkaBrokers;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scenario's Kafka: an embedded KRaft broker in a JVM of its own ({@code processes.broker: fork},
 * the default, so that its CPU is measured apart from the engine's and the generator's), in this
 * JVM ({@code inline}), or the cluster {@code --kafka} names.
 */
public final class Broker implements AutoCloseable {
    private final String bootstrap;
    private final Child child;
    private final KafkaBrokers.Broker inline;

    private Path dataDir;

    private Broker(String bootstrap, Child child, KafkaBrokers.Broker inline) {
        this.bootstrap = bootstrap;
        this.child = child;
        this.inline = inline;
    }

    public static Broker open(String spec, boolean fork, Path runDir) throws IOException, InterruptedException {
        if (!spec.equals("embedded") || !fork) {
            KafkaBrokers.Broker b = KafkaBrokers.open(spec);
            requireReachable(b.bootstrapServers(), spec);
            return new Broker(b.bootstrapServers(), null, b);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createTempDirectory("velo-bench-kafka-");
        CountDownLatch ready = new CountDownLatch(1);
        AtomicReference<String> at = new AtomicReference<>();
        Child c = Child.start("broker", List.of("-Xmx1g", "-XX:+UseG1GC"), "io.velo.cli.Main",
                List.of("kafka", "start", "--port", String.valueOf(port), "--data-dir", data.toString()),
                runDir.resolve("broker.log"), line -> {
                    int i = line.indexOf("ready at ");
                    if (i >= 0) {
                        at.set(line.substring(i + 9).split(" ")[0]);
                        ready.countDown();
                    }
                });
        if (!ready.await(60, TimeUnit.SECONDS)) {
            c.close();
            throw new IOException("the embedded Kafka broker did not start within 60 s (see " + runDir.resolve("broker.log") + ")");
        }
        Broker b = new Broker(at.get(), c, null);
        b.dataDir = data;
        return b;
    }

    /** Thrown when the named Kafka does not answer: a usage error (exit 2), nothing has run. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    private static void requireReachable(String bootstrap, String spec) {
        java.util.Map<String, Object> p = java.util.Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            admin.describeCluster().clusterId().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new Unreachable("cannot reach Kafka at " + bootstrap + " (--kafka " + spec + ") within 10 s");
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The broker's process, when it runs in one of its own (for its CPU time). */
    public Child process() {
        return child;
    }

    @Override
    public void close() {
        if (child != null) {
            child.terminate();
            try {
                if (!child.waitFor(Duration.ofSeconds(20))) {
                    child.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.close();
            }
        }
        if (dataDir != null) {
            try (var walk = Files.walk(dataDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: the OS cleans it up
            }
        }
        if (inline != null) {
            try {
                inline.close();
            } catch (Exception e) {
                // the run's figures are taken; a broker that does not close cleanly changes none of them
            }
        }
    }
}
