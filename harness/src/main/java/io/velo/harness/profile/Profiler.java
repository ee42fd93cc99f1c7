package io.velo.harness.profile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import one.jfr.JfrReader;
import one.jfr.event.AllocationSample;
import one.jfr.event.Event;
import one.jfr.event.ExecutionSample;
import one.profiler.AsyncProfiler;

/**
 * In-process profiling of the JVM it runs in (the engine's): CPU and allocation samples recorded to
 * {@code engine.jfr}, then converted into interactive flame graphs ({@code flame-cpu.html},
 * {@code flame-alloc.html}) with async-profiler's converter library.
 *
 * <p>async-profiler is tried first (it samples without safepoint bias, and its native library ships in
 * the {@code tools.profiler:async-profiler} jar). Hardware perf events need
 * {@code kernel.perf_event_paranoid <= 1}; above that it samples with {@code itimer} instead. If the
 * native library cannot load or start (another OS, a container that blocks it, a profiler already
 * running), the JDK's own Flight Recorder records with its "profile" settings (allocation events on).
 * Whichever records, the reason is kept in the {@code note} of the returned profile.
 *
 * <p>The converter's {@code --cpu} view is empty for JDK-recorded JFR (it selects by async-profiler's
 * own CPU event), so the CPU graph is the default execution-sample view for both recorders.
 */
public final class Profiler {
    static final String JFR = "engine.jfr";
    static final String FLAME_CPU = "flame-cpu.html";
    static final String FLAME_ALLOC = "flame-alloc.html";

    private final Path dir;
    private final String recorder;
    private final String event;
    private final List<String> notes;
    private final Recording recording;
    private final AsyncProfiler async;
    private boolean stopped;

    private Profiler(Path dir, String recorder, String event, List<String> notes, Recording recording, AsyncProfiler async) {
        this.dir = dir;
        this.recorder = recorder;
        this.event = event;
        this.notes = notes;
        this.recording = recording;
        this.async = async;
    }

    /** Starts profiling this JVM into {@code dir}: async-profiler if the machine allows it, else JDK Flight Recorder. */
    public static Profiler start(Path dir) throws IOException {
        return start(dir, true);
    }

    /** As {@link #start(Path)}; with {@code tryAsyncProfiler} false, JDK Flight Recorder only. */
    public static Profiler start(Path dir, boolean tryAsyncProfiler) throws IOException {
        Files.createDirectories(dir);
        Path jfr = dir.resolve(JFR).toAbsolutePath();
        Files.deleteIfExists(jfr);
        List<String> notes = new ArrayList<>();
        if (tryAsyncProfiler) {
            Integer paranoid = perfEventParanoid();
            String event = paranoid != null && paranoid <= 1 ? "cpu" : "itimer";
            if (!event.equals("cpu")) {
                notes.add(paranoid == null ? "perf_event_paranoid unreadable, so no perf events: async-profiler sampled CPU with itimer"
                        : "perf_event_paranoid=" + paranoid + " (>1) forbids perf events: async-profiler sampled CPU with itimer");
            }
            try {
                AsyncProfiler ap = AsyncProfiler.getInstance();
                ap.execute("start,event=" + event + ",alloc,jfr,file=" + jfr);
                return new Profiler(dir, "async-profiler", event, notes, null, ap);
            } catch (Throwable e) {
                // UnsatisfiedLinkError, IllegalStateException ("already started"), IOException: any failure means JFR
                notes.clear();
                notes.add("async-profiler unavailable (" + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())
                        + "); recorded with JDK Flight Recorder");
            }
        } else {
            notes.add("JDK Flight Recorder requested");
        }
        Recording r;
        try {
            r = new Recording(Configuration.getConfiguration("profile"));
        } catch (ParseException e) {
            throw new IOException("the JDK's JFR \"profile\" configuration cannot be read", e);
        }
        r.setName("velo-engine");
        r.enable("jdk.ObjectAllocationInNewTLAB");
        r.enable("jdk.ObjectAllocationOutsideTLAB");
        r.setToDisk(true);
        r.start();
        return new Profiler(dir, "jfr", "jdk.ExecutionSample", notes, r, null);
    }

    /** {@code async-profiler} or {@code jfr}. */
    public String recorder() {
        return recorder;
    }

    /**
     * Stops recording, writes {@code engine.jfr} and converts it into the two flame graphs. Returns the
     * result's {@code profile} field: file names relative to the directory, the recorder and a note. A
     * view that could not be produced is left out and the note says why.
     */
    public ObjectNode stop() throws IOException {
        if (stopped) {
            throw new IllegalStateException("profiler already stopped");
        }
        stopped = true;
        Path jfr = dir.resolve(JFR).toAbsolutePath();
        if (async != null) {
            try {
                async.execute("stop");
            } catch (IllegalStateException e) {
                notes.add("async-profiler stop failed: " + firstLine(e.getMessage()));
            }
        } else {
            recording.stop();
            try {
                recording.dump(jfr);
            } finally {
                recording.close();
            }
        }
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        if (!Files.isRegularFile(jfr) || Files.size(jfr) == 0) {
            notes.add("no recording was written");
            p.put("recorder", recorder);
            p.put("note", String.join("; ", notes));
            return p;
        }
        long cpuSamples = count(jfr, ExecutionSample.class);
        long allocSamples = count(jfr, AllocationSample.class);
        if (convert(jfr, dir.resolve(FLAME_CPU), "Velo engine: CPU (" + recorder + ", " + event + ")", false)) {
            p.put("cpu", FLAME_CPU);
        }
        if (convert(jfr, dir.resolve(FLAME_ALLOC), "Velo engine: allocations (" + recorder + ")", true)) {
            p.put("alloc", FLAME_ALLOC);
        }
        p.put("jfr", JFR);
        p.put("recorder", recorder);
        p.put("cpu_samples", cpuSamples);
        p.put("alloc_samples", allocSamples);
        if (cpuSamples == 0) {
            notes.add("no CPU samples were recorded: the CPU flame graph is empty");
        }
        if (allocSamples == 0) {
            notes.add("no allocation samples were recorded: the allocation flame graph is empty");
        }
        notes.add(0, "recorded with " + recorder + (async != null ? " (event " + event + ", alloc)" : " (profile settings, allocation events on)"));
        p.put("note", String.join("; ", notes));
        return p;
    }

    private boolean convert(Path jfr, Path html, String title, boolean alloc) {
        try {
            Arguments args = alloc ? new Arguments("--alloc") : new Arguments();
            args.title = title;
            Path tmp = Files.createTempFile(dir, "." + html.getFileName(), ".tmp");
            try {
                JfrToFlame.convert(jfr.toString(), tmp.toString(), args);
                Files.move(tmp, html, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            notes.add("converting " + html.getFileName() + " failed: " + firstLine(e.getMessage()));
            return false;
        }
    }

    private static long count(Path jfr, Class<? extends Event> type) {
        try (JfrReader r = new JfrReader(jfr.toString())) {
            long n = 0;
            while (r.readEvent(type) != null) {
                n++;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code /proc/sys/kernel/perf_event_paranoid}, or null off Linux or when unreadable. */
    static Integer perfEventParanoid() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        return s == null ? "no message" : s.lines().findFirst().orElse("");
    }
}
