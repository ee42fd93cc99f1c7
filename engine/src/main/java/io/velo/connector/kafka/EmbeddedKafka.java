package io.velo.connector.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker in KRaft combined mode (one node that is broker and controller), in this
 * process, listening on 127.0.0.1 only. {@link #start()} formats the storage (the production
 * {@link Formatter}, as {@code kafka-storage format} does), starts {@link KafkaRaftServer}, waits until
 * the broker answers, and returns the bootstrap address. {@link #close()} stops it and, when no data
 * directory was given, deletes its temporary one.
 *
 * <p>The broker logs through SLF4J, which goes nowhere (slf4j-nop) so that it never writes to the
 * terminal.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** The broker could not start: the message says why in words (a port in use, a directory not writable). */
    public static final class StartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final long READY_TIMEOUT_MS = 60_000;

    private final int requestedPort;
    private final Path requestedDataDir;
    private Path dataDir;
    private boolean tempDir;
    private KafkaRaftServer server;
    private int port;
    private String bootstrap;

    /** A broker on a free port with its data in a temporary directory. */
    public EmbeddedKafka() {
        this(0, null);
    }

    /**
     * @param port the client port on 127.0.0.1 (0: a free one)
     * @param dataDir where the broker keeps its logs and metadata (kept on close); null: a temporary
     *     directory removed on close
     */
    public EmbeddedKafka(int port, Path dataDir) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        this.requestedPort = port;
        this.requestedDataDir = dataDir;
    }

    /** Starts the broker (once) and returns its bootstrap address, {@code 127.0.0.1:PORT}. */
    public synchronized String start() {
        if (bootstrap != null) {
            return bootstrap;
        }
        try {
            if (requestedPort != 0) {
                ensureFree(requestedPort);
            }
            if (requestedDataDir == null) {
                dataDir = Files.createTempDirectory("velo-kafka-");
                tempDir = true;
            } else {
                dataDir = requestedDataDir.toAbsolutePath();
                Files.createDirectories(dataDir);
            }
        } catch (IOException e) {
            throw new StartException("cannot create the broker's data directory " + describe(requestedDataDir) + ": " + e.getMessage(), e);
        }
        // A free port chosen here may be taken by someone else before the broker binds it: try again then.
        for (int attempt = 0; ; attempt++) {
            port = requestedPort != 0 ? requestedPort : freePort();
            int controllerPort = freePort();
            while (controllerPort == port) {
                controllerPort = freePort();
            }
            try {
                startServer(config(port, controllerPort));
                bootstrap = "127.0.0.1:" + port;
                awaitReady();
                return bootstrap;
            } catch (RuntimeException e) {
                stopServer();
                boolean bindFailure = causedByBind(e);
                if (bindFailure && requestedPort == 0 && attempt < 3) {
                    continue;
                }
                deleteTempDir();
                bootstrap = null;
                if (bindFailure) {
                    throw new StartException("cannot listen on 127.0.0.1:" + port + " (port in use)", e);
                }
                throw new StartException("the Kafka broker did not start: " + rootMessage(e), e);
            }
        }
    }

    /** The bootstrap address, {@code 127.0.0.1:PORT}; null before {@link #start()}. */
    public synchronized String bootstrapServers() {
        return bootstrap;
    }

    /** The client port; 0 before {@link #start()}. */
    public synchronized int port() {
        return bootstrap == null ? 0 : port;
    }

    /** Where the broker keeps its data. */
    public synchronized Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and removes a temporary data directory. Idempotent. */
    @Override
    public synchronized void close() {
        stopServer();
        deleteTempDir();
        bootstrap = null;
    }

    private Map<String, String> config(int clientPort, int controllerPort) {
        String logDir = dataDir.toString();
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logDir),
                Map.entry("metadata.log.dir", logDir),
                Map.entry("num.partitions", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // replayed market data carries old timestamps: the default 7-day retention would delete it mid-run
                Map.entry("log.retention.ms", "-1"),
                Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024)));
    }

    private void startServer(Map<String, String> props) {
        KafkaConfig config = new KafkaConfig(props, false);
        // a data directory given again is already formatted: it keeps its cluster id and its data
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(config);
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    private void format(KafkaConfig config) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .addDirectory(dataDir.toString())
                    .run();
        } catch (Exception e) {
            throw new StartException("cannot format the broker's storage in " + dataDir + ": " + rootMessage(e), e);
        }
    }

    private void awaitReady() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for the broker", e);
                    }
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("the broker did not answer within " + READY_TIMEOUT_MS / 1000 + " s", e);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
            }
        }
    }

    private void stopServer() {
        KafkaRaftServer s = server;
        server = null;
        if (s != null) {
            try {
                s.shutdown();
                s.awaitShutdown();
            } catch (RuntimeException ignored) {
                // a broker that failed half-way through startup: nothing more to stop
            }
        }
    }

    private void deleteTempDir() {
        if (tempDir && dataDir != null) {
            try {
                deleteRecursively(dataDir);
            } catch (IOException | UncheckedIOException ignored) {
                // best effort: a temp directory left behind is harmless
            }
            tempDir = false;
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void ensureFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new StartException("cannot listen on 127.0.0.1:" + port + " (port in use)", e);
        }
    }

    /** A port that is free on the loopback address right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String describe(Path p) {
        return p == null ? "(temporary)" : p.toString();
    }
}
