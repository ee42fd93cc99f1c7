package io.velo.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic scenario results as docs/results.md defines them, for the report tests: several
 * repetitions with noise, a per-second series with ramp-up, GC pauses and a heap saw-tooth, a
 * log-normal latency distribution, a peer section, profile names and gate-shaped verdicts.
 * {@code speed} scales throughput up and latency/CPU down, so a "new" result can differ from its base.
 */
final class ResultFixtures {
    static final ObjectMapper M = new ObjectMapper();

    /** Standard-normal quantiles for the percentiles of the distribution. */
    private static final double[][] QUANTILES = {
            {0, -3.0}, {25, -0.674}, {50, 0}, {75, 0.674}, {90, 1.2816}, {95, 1.6449}, {99, 2.3263}, {99.5, 2.5758},
            {99.9, 3.0902}, {99.95, 3.2905}, {99.99, 3.7190}, {99.999, 4.2649}, {100, 4.6}};

    private ResultFixtures() {
    }

    static ObjectNode scenarioResult(String runId, long seed, int reps, double speed) {
        Random rnd = new Random(seed);
        ObjectNode r = M.createObjectNode();
        r.put("kind", "velo-scenario-result");
        r.put("format_version", 1);
        r.put("run_id", runId);
        r.put("scenario", "sustained-load");
        r.put("scenario_hash", "3f1a9c0d5e7b2a4c6d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e");
        r.put("started_at", String.format("2026-12-01T21:%02d:00Z", (int) (seed % 60)));
        r.put("git_commit", seed % 2 == 0 ? "cc573de9a1b2c3d4e5f60718293a4b5c6d7e8f90" : "a5b060e1f2e3d4c5b6a79881726354a3b2c1d0e9");
        ObjectNode m = r.putObject("machine");
        m.put("class", "amd64-intel-xeon-platinum-8370c-2c-jdk17");
        m.put("cpu_model", "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz");
        m.put("cores", 2);
        m.put("os", "Linux 6.1 amd64");
        m.put("jvm_version", "17.0.15");
        m.put("jvm_vendor", "Debian");
        m.put("jvm_major", 17);
        m.putArray("jvm_flags").add("-Xmx512m").add("-XX:+UseG1GC");
        m.put("memory_bytes", 25769803776L);
        ObjectNode c = r.putObject("config");
        c.put("duration_s", 60);
        c.put("warmup_s", 5);
        c.put("rate", 20000);
        c.put("repetitions", reps);
        c.put("kafka", "embedded");
        c.put("sql", "sustained_load.sql");
        c.put("partitions", 3);
        c.put("producers", 2);
        c.put("profile", true);

        ArrayNode repsArr = M.createArrayNode();
        for (int i = 0; i < reps; i++) {
            repsArr.add(repetition(rnd, speed, i));
        }
        // top level: medians of the repetitions, counts summed
        for (String k : new String[] {"records_in", "records_out", "lost", "duplicates"}) {
            long sum = 0;
            for (JsonNode rep : repsArr) {
                sum += rep.get(k).asLong();
            }
            r.put(k, sum);
        }
        r.put("verified", true);
        r.putArray("problems");
        r.put("throughput_rps", med(repsArr, "throughput_rps"));
        ObjectNode lat = r.putObject("latency_ms");
        for (String p : new String[] {"p50", "p90", "p95", "p99", "p999", "max"}) {
            lat.put(p, med(repsArr, "latency_ms." + p));
        }
        r.put("alloc_bytes_per_record", med(repsArr, "alloc_bytes_per_record"));
        r.put("alloc_rate_mb_s", med(repsArr, "alloc_rate_mb_s"));
        ObjectNode gc = r.putObject("gc");
        gc.put("count", med(repsArr, "gc.count"));
        gc.put("pause_ms_total", med(repsArr, "gc.pause_ms_total"));
        gc.put("pause_ms_max", med(repsArr, "gc.pause_ms_max"));
        r.put("heap_peak_bytes", (long) med(repsArr, "heap_peak_bytes"));
        r.put("cpu_ns_per_record", med(repsArr, "cpu_ns_per_record"));
        ObjectNode cpu = r.putObject("cpu");
        cpu.put("engine_cores", 0.93);
        cpu.put("generator_cores", 0.41);
        cpu.put("broker_cores", 0.38);
        cpu.put("observer_cores", 0.05);
        cpu.put("generator_limited", false);
        cpu.put("achieved_send_rate", 19985.0);
        r.put("pool_hit_rate", med(repsArr, "pool_hit_rate"));
        ObjectNode st = r.putObject("stages_ns_per_record");
        for (String s : new String[] {"decode", "operators", "encode", "sink_write", "queue_wait"}) {
            st.put(s, med(repsArr, "stages_ns_per_record." + s));
        }
        r.set("series", series(rnd, speed));
        ArrayNode dist = r.putArray("latency_distribution");
        double p50 = lat.get("p50").asDouble();
        for (double[] q : QUANTILES) {
            dist.addArray().add(q[0]).add(round(p50 * Math.exp(0.62 * q[1]), 3));
        }
        r.put("hlog", "latency.hlog");
        ObjectNode extra = r.putObject("extra");
        extra.put("max_sustainable_rate", round(26000 * speed, 0));
        ObjectNode peer = r.putObject("peer");
        ObjectNode fp = peer.putObject("filter_projection");
        fp.put("velo_rps", round(412000 * speed, 0));
        fp.put("peer_rps", 231000.0);
        fp.put("ratio", round(412000 * speed / 231000.0, 3));
        fp.put("verified", true);
        ObjectNode tc = peer.putObject("tumbling_count");
        tc.put("velo_rps", round(298000 * speed, 0));
        tc.put("peer_rps", 187000.0);
        tc.put("ratio", round(298000 * speed / 187000.0, 3));
        tc.put("verified", true);
        ObjectNode prof = r.putObject("profile");
        prof.put("cpu", "flame-cpu.html");
        prof.put("alloc", "flame-alloc.html");
        prof.put("jfr", "engine.jfr");
        prof.put("recorder", "jfr");
        ObjectNode gate = r.putObject("gate");
        ObjectNode gm = gate.putObject("metrics");
        gm.putObject("throughput_rps").put("direction", "higher").put("tolerance", 0.05);
        gm.putObject("cpu_ns_per_record").put("direction", "lower").put("tolerance", 0.05);
        gm.putObject("latency_ms.p99").put("direction", "lower").put("tolerance", 0.15);
        gm.putObject("alloc_bytes_per_record").put("direction", "lower").put("tolerance", 0.10);
        gate.put("alpha", 0.05);
        r.set("repetitions", repsArr);
        return r;
    }

    private static ObjectNode repetition(Random rnd, double speed, int i) {
        ObjectNode rep = M.createObjectNode();
        long in = 1_200_000;
        rep.put("records_in", in);
        rep.put("records_out", in);
        rep.put("lost", 0);
        rep.put("duplicates", 0);
        rep.put("verified", true);
        rep.put("throughput_rps", round(19990 + rnd.nextGaussian() * 8, 1));
        ObjectNode lat = rep.putObject("latency_ms");
        double p50 = 0.8 / speed * (1 + 0.04 * rnd.nextGaussian());
        lat.put("p50", round(p50, 3));
        lat.put("p90", round(p50 * 2.2, 3));
        lat.put("p95", round(p50 * 2.8, 3));
        lat.put("p99", round(p50 * 4.2 * (1 + 0.08 * rnd.nextGaussian()), 3));
        lat.put("p999", round(p50 * 6.8, 3));
        lat.put("max", round(p50 * 15 * (1 + 0.2 * rnd.nextGaussian()), 3));
        rep.put("alloc_bytes_per_record", round(312 / speed * (1 + 0.01 * rnd.nextGaussian()), 1));
        rep.put("alloc_rate_mb_s", round(5.95 / speed, 2));
        ObjectNode gc = rep.putObject("gc");
        gc.put("count", 8 + rnd.nextInt(3));
        gc.put("pause_ms_total", round(38 + rnd.nextGaussian() * 4, 1));
        gc.put("pause_ms_max", round(7.5 + rnd.nextGaussian(), 1));
        rep.put("heap_peak_bytes", 310_000_000L + rnd.nextInt(20_000_000));
        rep.put("cpu_ns_per_record", round(46_500 / speed * (1 + 0.03 * rnd.nextGaussian()), 0));
        rep.put("pool_hit_rate", round(0.962 + 0.005 * rnd.nextGaussian(), 4));
        ObjectNode st = rep.putObject("stages_ns_per_record");
        st.put("decode", round(1850 / speed * (1 + 0.03 * rnd.nextGaussian()), 1));
        st.put("operators", round(930 / speed * (1 + 0.03 * rnd.nextGaussian()), 1));
        st.put("encode", round(1220 / speed * (1 + 0.03 * rnd.nextGaussian()), 1));
        st.put("sink_write", round(2650 / speed * (1 + 0.03 * rnd.nextGaussian()), 1));
        st.put("queue_wait", round(410 / speed * (1 + 0.05 * rnd.nextGaussian()), 1));
        rep.put("hlog", "latency-rep" + (i + 1) + ".hlog");
        return rep;
    }

    private static ObjectNode series(Random rnd, double speed) {
        ObjectNode s = M.createObjectNode();
        ArrayNode t = s.putArray("t_s");
        ArrayNode in = s.putArray("in_rps");
        ArrayNode out = s.putArray("out_rps");
        ArrayNode p50 = s.putArray("p50_ms");
        ArrayNode p99 = s.putArray("p99_ms");
        ArrayNode max = s.putArray("max_ms");
        ArrayNode alloc = s.putArray("alloc_mb_s");
        ArrayNode heap = s.putArray("heap_used_mb");
        ArrayNode gc = s.putArray("gc_pause_ms");
        double h = 60;
        for (int i = 1; i <= 60; i++) {
            t.add(i);
            double ramp = Math.min(1, i / 3.0);
            double rin = 20000 * ramp + rnd.nextGaussian() * 60;
            in.add(round(rin, 0));
            boolean gcHere = i % 7 == 0;
            out.add(round(rin * (gcHere ? 0.97 : 1.0) + rnd.nextGaussian() * 80, 0));
            double b = 0.8 / speed * (1 + 0.05 * rnd.nextGaussian());
            p50.add(round(b, 3));
            p99.add(round(b * (gcHere ? 9 : 4.2), 3));
            max.add(round(b * (gcHere ? 16 : 7 + rnd.nextDouble() * 3), 3));
            alloc.add(round(5.95 / speed * ramp * (1 + 0.04 * rnd.nextGaussian()), 2));
            h += 32 * ramp;
            heap.add(round(h, 1));
            if (gcHere) {
                gc.add(round(4 + rnd.nextDouble() * 4, 2));
                h = 60 + rnd.nextDouble() * 20;
            } else {
                gc.add(0);
            }
        }
        return s;
    }

    /** Gate-shaped verdicts (with p-values) covering every status. */
    static ArrayNode gateVerdicts(ObjectNode base, ObjectNode now) {
        ArrayNode v = M.createArrayNode();
        add(v, "throughput_rps", "PASS", base, now, 0.62, 0.05);
        add(v, "cpu_ns_per_record", "REGRESSION", base, now, 0.0004, 0.05);
        add(v, "latency_ms.p99", "REGRESSION", base, now, 0.008, 0.15);
        add(v, "gc.pause_ms_total", "IMPROVEMENT", base, now, 0.03, 0.10);
        ObjectNode miss = v.addObject();
        miss.put("metric", "alloc_bytes_per_record");
        miss.put("status", "MISSING");
        miss.putNull("baseline");
        miss.put("value", now.get("alloc_bytes_per_record").asDouble());
        miss.putNull("change");
        miss.putNull("p_value");
        miss.put("tolerance", 0.10);
        miss.put("n_base", 0);
        miss.put("n_new", now.get("repetitions").size());
        miss.put("line", "MISSING alloc_bytes_per_record: the baseline has no samples");
        return v;
    }

    private static void add(ArrayNode v, String metric, String status, ObjectNode base, ObjectNode now, double p, double tol) {
        double b = ReportSupport.num(base, metric);
        double n = ReportSupport.num(now, metric);
        ObjectNode o = v.addObject();
        o.put("metric", metric);
        o.put("status", status);
        o.put("baseline", b);
        o.put("value", n);
        o.put("change", (n - b) / b);
        o.put("p_value", p);
        o.put("tolerance", tol);
        o.put("n_base", base.get("repetitions").size());
        o.put("n_new", now.get("repetitions").size());
        o.put("line", status + " " + metric + ": " + b + " -> " + n);
    }

    private static double med(ArrayNode reps, String path) {
        List<Double> xs = new ArrayList<>();
        reps.forEach(r -> xs.add(ReportSupport.num(r, path)));
        return Comparison.median(xs);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
