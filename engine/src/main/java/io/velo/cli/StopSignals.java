package io.velo.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * SIGINT and SIGTERM stop a running job cleanly: the job finishes its current batch, flushes its
 * sinks, and {@code velo run} exits 0. Uses the JDK's signal API where it is available (every
 * OpenJDK); elsewhere a shutdown hook still flushes, though the exit code is then the JVM's.
 */
final class StopSignals {
    private StopSignals() {
    }

    /** Installs the handlers; the returned action puts the previous ones back. */
    static Runnable install(Runnable stop) {
        List<Runnable> undo = new ArrayList<>();
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(sig, s -> stop.run());
                undo.add(() -> sun.misc.Signal.handle(sig, previous));
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                stop.run();
                try {
                    main.join(30_000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "velo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            undo.add(() -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // already shutting down
                }
            });
        }
        return () -> undo.forEach(Runnable::run);
    }
}
