package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.scenario.Oracle;
import io.velo.harness.scenario.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One repetition of a Kafka scenario: fresh topics, the engine in its JVM, the observer on the output
 * topic, then the open-loop generator in its JVM; the measured window is the load's span after the
 * warm-up. When the load has ended it waits for the output to be complete (the check's expected rows
 * seen, or no new output for a while), stops the engine, checks the output and turns the counters
 * into one repetition object of the result file (docs/results.md).
 */
final class RepetitionRun {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a repetition varies beyond the scenario: rate, delivery mode, injections, crashes. */
    record Options(double rate, String mode, double slowdown, long delayMicros, boolean profile, int kills, long killEveryMillis,
                   int instances, Boolean parallel) {
        static Options of(double rate) {
            return new Options(rate, null, 0, 0, false, 0, 0, 1, null);
        }

        Options withMode(String m) {
            return new Options(rate, m, slowdown, delayMicros, profile, kills, killEveryMillis, instances, parallel);
        }

        Options withRate(double r) {
            return new Options(r, mode, slowdown, delayMicros, profile, kills, killEveryMillis, instances, parallel);
        }

        Options withInjection(double slow, long delay) {
            return new Options(rate, mode, slow, delay, profile, kills, killEveryMillis, instances, parallel);
        }

        Options withProfile(boolean p) {
            return new Options(rate, mode, slowdown, delayMicros, p, kills, killEveryMillis, instances, parallel);
        }

        Options withKills(int k, long every) {
            return new Options(rate, mode, slowdown, delayMicros, profile, k, every, instances, parallel);
        }

        Options withScale(int inst, Boolean par) {
            return new Options(rate, mode, slowdown, delayMicros, profile, kills, killEveryMillis, inst, par);
        }
    }

    private final Scenario scenario;
    private final Map<String, String> overrides;
    private final Broker broker;
    private final Path dir;
    private final String label;
    private final PrintStream progress;
    private final List<JsonNode> engineTicks = new CopyOnWriteArrayList<>();
    private final List<JsonNode> genTicks = new CopyOnWriteArrayList<>();

    RepetitionRun(Scenario scenario, Map<String, String> overrides, Broker broker, Path dir, String label, PrintStream progress) {
        this.scenario = scenario;
        this.overrides = overrides;
        this.broker = broker;
        this.dir = dir;
        this.label = label;
        this.progress = progress;
    }

    ObjectNode run(Options o) throws Exception {
        Files.createDirectories(dir);
        String id = (scenario.name() + "-" + label + "-" + Long.toString(System.currentTimeMillis(), 36)).replaceAll("[^A-Za-z0-9._-]", "-");
        String in = "velo-" + id + "-in";
        String out = "velo-" + id + "-out";
        String group = "velo-" + id;
        int partitions = scenario.kafka().partitions();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(in, partitions, (short) 1), new NewTopic(out, partitions, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            io.velo.harness.kafka.KafkaBenchmark.awaitLeaders(admin, in, partitions);
            io.velo.harness.kafka.KafkaBenchmark.awaitLeaders(admin, out, partitions);
        }
        Schedule schedule = RunPlan.schedule(scenario, o.rate());
        long warmupMicros = scenario.load().warmup().toNanos() / 1000;
        long measuredMicros = scenario.load().duration().toNanos() / 1000;
        Oracle oracle = Oracle.of(scenario);

        // the engine(s)
        Map<String, String> set = new LinkedHashMap<>(RunPlan.jobOverrides(scenario, in, out, group));
        if (o.mode() != null) {
            set.put("mode", o.mode());
        }
        if (o.parallel() != null) {
            // the engine's second worker thread (a decode thread beside the job's) is a mega_batch option:
            // both thread counts run that strategy, so only the thread count differs
            set.put("batch.strategy", "mega_batch");
            set.put("batch.parallel", String.valueOf(o.parallel()));
        }
        List<EngineProcess> engines = new ArrayList<>();
        for (int i = 0; i < o.instances(); i++) {
            Map<String, String> s = new LinkedHashMap<>(set);
            if (o.instances() > 1 || o.kills() > 0) {
                s.put("instance.id", "i" + i);
            }
            engines.add(new EngineProcess(i, s, o));
        }
        for (EngineProcess e : engines) {
            e.start();
        }
        awaitGroupStable(engines, group, o.instances(), Duration.ofSeconds(60));
        // the job's own plan says whether it writes transactions (its SQL or the overrides may set the mode):
        // then the observer reads only what was committed, as a consumer of its output would
        boolean transactional = engines.get(0).started != null && engines.get(0).started.path("transactional").asBoolean();

        // the observer, then the load
        List<Histogram> intervals = new ArrayList<>();
        List<long[]> outPerSecond = new ArrayList<>();
        Path hlog = dir.resolve("latency-" + label + ".hlog");
        try (Observer observer = new Observer(broker.bootstrap(), out, transactional, RunPlan.sendTimeField(scenario), oracle::observe);
             PrintStream hlogOut = new PrintStream(Files.newOutputStream(hlog))) {

            ObjectNode gc = MAPPER.createObjectNode();
            gc.put("scenario", scenario.path().toAbsolutePath().toString());
            gc.set("overrides", MAPPER.valueToTree(overrides));
            gc.put("bootstrap", broker.bootstrap());
            gc.put("topic", in);
            gc.put("rate", o.rate());
            gc.put("producers", scenario.kafka().producers());
            gc.put("delay_us", o.delayMicros());
            gc.set("producer", MAPPER.valueToTree(scenario.kafka().producer()));
            Path genConfig = dir.resolve("generator-" + label + ".json");
            Files.writeString(genConfig, gc.toString());
            JsonNode[] genResult = new JsonNode[1];
            boolean forkGenerator = scenario.processes().generator() == Scenario.ProcessMode.FORK;
            Child gen = null;
            Thread inlineGen = null;
            java.util.concurrent.CountDownLatch genReady = new java.util.concurrent.CountDownLatch(1);
            if (forkGenerator) {
                gen = Child.start("generator", List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), GeneratorFork.class.getName(),
                        List.of(genConfig.toString()), dir.resolve("generator.log"), line -> {
                            if (line.equals(GeneratorFork.READY)) {
                                genReady.countDown();
                            } else if (line.startsWith(GeneratorFork.TICK)) {
                                genTicks.add(parse(line.substring(GeneratorFork.TICK.length())));
                            } else if (line.startsWith(GeneratorFork.RESULT)) {
                                genResult[0] = parse(line.substring(GeneratorFork.RESULT.length()));
                            }
                        });
                long readyBy = System.currentTimeMillis() + 60_000;
                while (!genReady.await(100, TimeUnit.MILLISECONDS)) {
                    if (!gen.alive() || System.currentTimeMillis() > readyBy) {
                        throw new IllegalStateException("the load generator did not get ready (see " + dir.resolve("generator.log") + ")");
                    }
                }
            }
            // the clock starts once every part is up: the generator's producers are connected
            long t0 = EpochClock.micros() + 200_000;
            long windowStart = t0 + warmupMicros;
            long windowEnd = t0 + warmupMicros + measuredMicros;
            observer.window(windowStart, windowEnd);
            HistogramLogWriter log = new HistogramLogWriter(hlogOut);
            log.outputLogFormatVersion();
            log.outputStartTime(windowStart / 1000);
            log.setBaseTime(windowStart / 1000);
            log.outputLegend();
            if (forkGenerator) {
                gen.send("start " + t0);
            } else {
                gc.put("t0_micros", t0);
                inlineGen = new Thread(() -> {
                    try {
                        genResult[0] = GeneratorFork.run(gc, new PrintStream(java.io.OutputStream.nullOutputStream()));
                    } catch (Exception e) {
                        genResult[0] = MAPPER.createObjectNode().put("error", e.toString());
                    }
                }, "velo-gen-inline");
                inlineGen.start();
            }

            // while the load runs: one interval histogram per second, progress, crashes
            long loadEndMillis = (t0 + schedule.endMicros()) / 1000;
            long nextKill = o.kills() > 0 ? t0 / 1000 + warmupMicros / 1000 + o.killEveryMillis() : Long.MAX_VALUE;
            int killed = 0;
            long[] cpuAtWindowStart = null;
            long[] cpuAtWindowEnd = null;
            long lastRows = 0;
            long genTotal = schedule.totalRecords();
            Histogram running = new Histogram(Observer.MAX_MICROS, 3);
            long nextSecond = (t0 / 1000) + 1000;
            while (true) {
                long now = System.currentTimeMillis();
                sleepUntil(nextSecond);
                now = System.currentTimeMillis();
                Histogram h = observer.interval();
                h.setStartTimeStamp(nextSecond - 1000);
                h.setEndTimeStamp(nextSecond);
                if (nextSecond * 1000 > windowStart && (nextSecond - 1000) * 1000 < windowEnd) {
                    log.outputIntervalHistogram(h);
                    intervals.add(h);
                    running.add(h);
                }
                long rows = observer.rows();
                outPerSecond.add(new long[] {nextSecond, rows - lastRows});
                lastRows = rows;
                cpu(engines, gen); // each second: keeps the generator's last CPU reading for when it has ended
                if (cpuAtWindowStart == null && now * 1000 >= windowStart) {
                    cpuAtWindowStart = cpu(engines, gen);
                }
                if (cpuAtWindowEnd == null && now * 1000 >= windowEnd) {
                    cpuAtWindowEnd = cpu(engines, gen);
                }
                if (now >= nextKill && killed < o.kills()) {
                    EngineProcess victim = engines.get(0);
                    victim.kill();
                    killed++;
                    victim.start();
                    nextKill = now + o.killEveryMillis();
                }
                if (progress != null) {
                    long sent = genTicks.isEmpty() ? 0 : genTicks.get(genTicks.size() - 1).path("sent").asLong();
                    long eta = Math.max(0, (loadEndMillis - now) / 1000);
                    progress.printf("\r  %-14s sent %,11d / %,d  out %,11d  p99 %8.2f ms  ETA %3ds   ", label, sent, genTotal, rows,
                            running.getTotalCount() == 0 ? 0.0 : running.getValueAtPercentile(99) / 1000.0, eta);
                    progress.flush();
                }
                nextSecond += 1000;
                boolean genDone = forkGenerator ? !gen.alive() : !inlineGen.isAlive();
                if (genDone && now >= loadEndMillis) {
                    break;
                }
                if (now > loadEndMillis + 120_000) {
                    throw new IllegalStateException("the load generator did not finish within 120 s of the schedule's end");
                }
                if (engines.stream().anyMatch(e -> !e.alive() && e.result == null && !e.killed)) {
                    break; // the engine died: the check says what is missing
                }
            }
            if (cpuAtWindowEnd == null) {
                cpuAtWindowEnd = cpu(engines, gen);
            }
            if (gen != null) {
                gen.waitFor(Duration.ofSeconds(30));
            } else {
                inlineGen.join(30_000);
            }
            // drain: until the check has all it expects, or the output has been quiet a while
            JsonNode perProducer = genResult[0] == null ? null : genResult[0].path("sent_per_producer");
            if (perProducer != null) {
                for (int k = 0; k < perProducer.size(); k++) {
                    oracle.acceptProducer(k, perProducer.size(), perProducer.get(k).asLong());
                }
            }
            long quietSince = System.currentTimeMillis();
            long seen = observer.rows();
            long drainDeadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < drainDeadline) {
                if (observer.rows() >= oracle.expectedCount() && oracle.result().verified()) {
                    break;
                }
                if (observer.rows() != seen) {
                    seen = observer.rows();
                    quietSince = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - quietSince > RunPlan.quietMillis(scenario)) {
                    break;
                }
                Thread.sleep(100);
            }
            for (EngineProcess e : engines) {
                e.stop();
            }
            Thread.sleep(200); // the last rows the engine flushed at its stop
            long stopWait = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < stopWait && System.currentTimeMillis() - observer.lastRowMillis() < 1_000) {
                Thread.sleep(100);
            }
            Histogram last = observer.interval();
            if (last.getTotalCount() > 0) {
                log.outputIntervalHistogram(last);
                intervals.add(last);
            }
            if (progress != null) {
                progress.print("\r" + " ".repeat(100) + "\r");
                progress.flush();
            }
            return RepetitionMetrics.build(scenario, o, schedule, t0, windowStart, windowEnd, engines.stream().map(e -> e.history).toList(),
                    engineTicks, genResult[0], genTicks, observer, intervals, outPerSecond, oracle, cpuAtWindowStart, cpuAtWindowEnd,
                    broker, hlog.getFileName().toString(), killed, o.rate());
        } finally {
            for (EngineProcess e : engines) {
                e.close();
            }
            deleteTopics(in, out);
        }
    }

    /**
     * Removes the repetition's topics (and the job's own: its dead letters, its changelog), so that a
     * broker shared by many repetitions does not carry ever more partitions from one to the next — and a
     * shared cluster keeps nothing of a run.
     */
    private void deleteTopics(String in, String out) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            List<String> mine = new ArrayList<>();
            for (String t : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
                if (t.equals(in) || t.equals(out) || t.startsWith(in.substring(0, in.length() - 3))) {
                    mine.add(t);
                }
            }
            admin.deleteTopics(mine).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort: the embedded broker's data goes with it
        }
    }

    private long lastGeneratorCpu = -1;

    /** CPU nanoseconds so far of [engines…, generator, broker, this JVM]. */
    private long[] cpu(List<EngineProcess> engines, Child gen) {
        long eng = 0;
        for (EngineProcess e : engines) {
            eng += Math.max(0, e.cpuNanos());
        }
        long g = gen == null ? -1 : gen.cpuNanos();
        if (g < 0 && gen != null) {
            g = lastGeneratorCpu; // it has just ended: its last reading is its total
        } else if (g >= 0) {
            lastGeneratorCpu = g;
        }
        long b = broker.process() == null ? -1 : broker.process().cpuNanos();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return new long[] {eng, g, b, os.getProcessCpuTime(), System.nanoTime()};
    }

    private void awaitGroupStable(List<EngineProcess> engines, String group, int members, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
                    if (d != null && d.members().size() >= members
                            && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // not there yet
                }
                for (EngineProcess e : engines) {
                    if (e.result != null && e.result.has("error")) {
                        throw new IllegalStateException("the engine failed at start: " + e.result.get("error").asText());
                    }
                    if (!e.alive()) {
                        throw new IllegalStateException("the engine's JVM ended at start (exit " + e.child.exitCode() + "; see "
                                + dir.resolve("engine.log") + ")");
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the engine's consumer group '" + group + "' did not get its partitions within "
                + timeout.toSeconds() + " s (see " + dir.resolve("engine.log") + ")");
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return MAPPER.createObjectNode().put("error", "unreadable report line: " + json);
        }
    }

    /** One engine instance; restarted after a kill (its history keeps each incarnation's final report). */
    final class EngineProcess implements AutoCloseable {
        final int index;
        final Map<String, String> set;
        final Options options;
        Child child;
        JsonNode result;
        volatile JsonNode started;
        boolean killed;
        final List<JsonNode> history = new CopyOnWriteArrayList<>();
        private long cpuOfDead;
        private int incarnation;

        EngineProcess(int index, Map<String, String> set, Options options) {
            this.index = index;
            this.set = set;
            this.options = options;
        }

        void start() throws IOException {
            ObjectNode c = MAPPER.createObjectNode();
            c.put("sql_file", scenario.sqlPath().toAbsolutePath().toString());
            c.set("overrides", MAPPER.valueToTree(set));
            c.put("bootstrap", broker.bootstrap());
            c.putObject("inject").put("slowdown", options.slowdown());
            c.put("measure_state", RunPlan.measuresState(scenario));
            if (options.profile() && index == 0 && history.isEmpty()) {
                c.put("profile_dir", dir.toAbsolutePath().toString());
            }
            Path config = dir.resolve("engine-" + label + "-" + index + ".json");
            Files.writeString(config, c.toString());
            result = null;
            killed = false;
            final int inc = incarnation++;
            child = Child.start("engine-" + index, RunPlan.engineJvmOptions(scenario), EngineFork.class.getName(), List.of(config.toString()),
                    dir.resolve("engine.log"), line -> {
                        if (line.startsWith(EngineFork.TICK)) {
                            JsonNode t = parse(line.substring(EngineFork.TICK.length()));
                            ((ObjectNode) t).put("instance", index).put("incarnation", inc);
                            engineTicks.add(t);
                        } else if (line.startsWith(EngineFork.STARTED)) {
                            started = parse(line.substring(EngineFork.STARTED.length()));
                        } else if (line.startsWith(EngineFork.RESULT)) {
                            result = parse(line.substring(EngineFork.RESULT.length()));
                            history.add(result);
                        }
                    });
        }

        long cpuNanos() {
            long c = child.cpuNanos();
            return cpuOfDead + Math.max(0, c);
        }

        boolean alive() {
            return child.alive();
        }

        void kill() throws InterruptedException {
            long c = child.cpuNanos();
            killed = true;
            child.kill();
            child.waitFor(Duration.ofSeconds(10));
            cpuOfDead += Math.max(0, c);
            ObjectNode k = MAPPER.createObjectNode().put("killed", true);
            history.add(k);
        }

        void stop() throws InterruptedException {
            child.send("stop");
            if (!child.waitFor(Duration.ofSeconds(60))) {
                child.close();
                throw new IllegalStateException("the engine did not stop within 60 s of being asked (see " + dir.resolve("engine.log") + ")");
            }
        }

        @Override
        public void close() {
            if (child != null) {
                child.close();
            }
        }
    }
}
