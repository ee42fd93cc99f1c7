package io.velo.harness.run;

import io.velo.harness.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a scenario's settings become a run: the load schedule, the job's overrides, the engine's JVM. */
final class RunPlan {
    private RunPlan() {
    }

    /** The load schedule at {@code rate} records/s (or the scenario's own rate when {@code rate} ≤ 0). */
    static Schedule schedule(Scenario s, double rate) {
        double r = rate > 0 ? rate : s.load().rate().orElseThrow();
        long total = (s.load().warmup().toNanos() + s.load().duration().toNanos()) / 1000;
        List<Schedule.Burst> bursts = new ArrayList<>();
        for (var b : s.load().bursts()) {
            bursts.add(new Schedule.Burst(b.at().toNanos() / 1000, b.duration().toNanos() / 1000, b.rate()));
        }
        return new Schedule(r, s.load().rampUp().toNanos() / 1000, total, bursts);
    }

    /** The job's properties for one repetition: its topics and group, the strategy, the scenario's {@code set}. */
    static Map<String, String> jobOverrides(Scenario s, String in, String out, String group) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(s.source() + ".topic", in);
        m.put(s.source() + ".group.id", group);
        m.put(s.sink() + ".topic", out);
        // the job's own topics per repetition too: a changelog left by the last repetition would be restored
        m.put("changelog.topic", group + "-changelog");
        m.put("dlq.topic", group + "-dlq");
        s.strategy().ifPresent(st -> m.put("batch.strategy", st));
        m.putAll(s.set());
        s.kafka().consumer().forEach((k, v) -> m.put(s.source() + ".kafka." + k, v));
        return m;
    }

    /** The generator's send-time field (the intended send time each row carries to the observer), or null. */
    static String sendTimeField(Scenario s) {
        for (Scenario.Field f : s.generator().fields()) {
            if (f instanceof Scenario.SendTimeField st) {
                return st.name();
            }
        }
        return null;
    }

    static List<String> engineJvmOptions(Scenario s) {
        List<String> o = new ArrayList<>();
        if (s.jvm().heap().isPresent()) {
            o.add("-Xmx" + s.jvm().heap().get());
            o.add("-Xms" + s.jvm().heap().get());
        } else {
            o.add("-Xmx1g");
        }
        o.addAll(s.jvm().options());
        o.add("-XX:+UnlockDiagnosticVMOptions");
        o.add("-XX:+DebugNonSafepoints");
        return o;
    }

    /** Whether the engine should weigh its live heap at the end (the memory-pressure scenario's state per key). */
    static boolean measuresState(Scenario s) {
        return s.check().type() == Scenario.CheckType.TOTALS;
    }

    /** How long the output may be quiet before the drain ends: an aggregation writes nothing for a while between results. */
    static long quietMillis(Scenario s) {
        return s.check().type() == Scenario.CheckType.TOTALS ? 5_000 : 3_000;
    }
}
