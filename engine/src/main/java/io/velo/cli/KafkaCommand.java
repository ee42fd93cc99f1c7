package io.velo.cli;

import io.velo.connector.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code velo kafka start}: a real Kafka broker on this machine, in the foreground, until SIGINT/SIGTERM. */
@Command(name = "kafka", description = "A local Apache Kafka broker (velo kafka start).",
        subcommands = KafkaCommand.Start.class)
final class KafkaCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USAGE;
    }

    @Command(name = "start", description = {"Run a Kafka broker (KRaft, one node) on 127.0.0.1 in the foreground; Ctrl-C stops it.",
            "Other velo commands reach it with --kafka 127.0.0.1:PORT."})
    static final class Start implements Callable<Integer> {
        private final PrintStream out;
        private final PrintStream err;

        @Option(names = "--port", paramLabel = "PORT", description = "client port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0: a free one)")
        int port = 9092;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "keep the broker's data here across runs (default: a temporary directory removed on stop)")
        Path dataDir;

        Start(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            if (port < 0 || port > 65535) {
                err.println("velo: --port must be 0..65535, got " + port);
                return Main.USAGE;
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runnable restore = StopSignals.install(stop::countDown);
            try (EmbeddedKafka kafka = new EmbeddedKafka(port, dataDir)) {
                String bootstrap;
                try {
                    bootstrap = kafka.start();
                } catch (EmbeddedKafka.StartException e) {
                    err.println("velo: " + e.getMessage());
                    return Main.FAILED;
                }
                out.println("velo: Kafka broker ready at " + bootstrap + " (data in " + kafka.dataDir()
                        + (dataDir == null ? ", removed on stop" : "") + "); Ctrl-C stops it");
                out.flush();
                stop.await();
                err.println("velo: stopping the Kafka broker");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                restore.run();
            }
            return Main.OK;
        }
    }
}
