package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.scenario.Oracle;
import io.velo.harness.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Turns what one repetition recorded — the engine's cumulative ticks, the generator's, the observer's
 * interval histograms and row counts, the CPU of each process at the window's edges, the check — into
 * one repetition object of the result file. Rates and per-record figures cover the measured window
 * only (the engine's counters interpolated at its edges); the check covers every record sent.
 */
final class RepetitionMetrics {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RepetitionMetrics() {
    }

    static ObjectNode build(Scenario scenario, RepetitionRun.Options o, Schedule schedule, long t0Micros, long windowStartMicros, long windowEndMicros,
                            List<List<JsonNode>> engineHistories, List<JsonNode> engineTicks, JsonNode gen, List<JsonNode> genTicks,
                            Observer observer, List<Histogram> intervals, List<long[]> outPerSecond, Oracle oracle,
                            long[] cpuStart, long[] cpuEnd, Broker broker, String hlog, int killed, double rate) {
        ObjectNode r = MAPPER.createObjectNode();
        List<String> problems = new ArrayList<>();
        long ws = windowStartMicros / 1000;
        long we = windowEndMicros / 1000;
        double seconds = (we - ws) / 1000.0;

        // the engine's counters over the window, summed over instances and restarts
        Map<String, List<JsonNode>> series = new LinkedHashMap<>();
        for (JsonNode t : engineTicks) {
            series.computeIfAbsent(t.path("instance").asInt() + "/" + t.path("incarnation").asInt(), k -> new ArrayList<>()).add(t);
        }
        double inW = 0;
        double outW = 0;
        double allocW = 0;
        double cpuEngineW = 0;
        long heapPeak = 0;
        long recordsInTotal = 0;
        for (List<JsonNode> s : series.values()) {
            inW += delta(s, "records_in", ws, we);
            outW += delta(s, "records_out", ws, we);
            allocW += delta(s, "alloc_bytes", ws, we);
            cpuEngineW += delta(s, "cpu_ns", ws, we);
            for (JsonNode t : s) {
                long at = t.path("epoch_ms").asLong();
                if (at >= ws && at <= we + 1000) {
                    heapPeak = Math.max(heapPeak, t.path("heap_used").asLong());
                }
            }
            recordsInTotal += s.get(s.size() - 1).path("records_in").asLong();
        }
        long gcCount = 0;
        double gcTotalMs = 0;
        double gcMaxMs = 0;
        for (JsonNode t : engineTicks) {
            for (JsonNode p : t.path("pauses")) {
                long at = p.get(0).asLong();
                if (at >= ws && at < we) {
                    double ms = p.get(1).asLong() / 1000.0;
                    gcCount++;
                    gcTotalMs += ms;
                    gcMaxMs = Math.max(gcMaxMs, ms);
                }
            }
        }

        // the check
        var v = oracle.result();
        long sent = gen == null ? 0 : gen.path("sent").asLong();
        if (gen == null) {
            problems.add("the load generator reported nothing (see generator.log)");
        } else if (gen.has("error")) {
            problems.add("load generator: " + gen.get("error").asText());
        }
        for (List<JsonNode> h : engineHistories) {
            for (JsonNode e : h) {
                if (e.has("error")) {
                    problems.add("engine: " + e.get("error").asText());
                }
            }
        }
        if (engineHistories.stream().allMatch(List::isEmpty)) {
            problems.add("the engine reported no result (see engine.log)");
        }
        if (observer.failure() != null) {
            problems.add("observer: " + observer.failure());
        }
        problems.addAll(v.problems());
        r.put("records_in", recordsInTotal);
        r.put("records_sent", sent);
        r.put("records_out", v.recordsOut());
        r.put("lost", v.lost());
        r.put("duplicates", v.duplicates());
        if (scenario.check().type() == Scenario.CheckType.TOTALS) {
            r.put("distinct_keys", oracle.distinctKeys());
        }
        r.put("verified", v.verified() && problems.isEmpty());
        ArrayNode pr = r.putArray("problems");
        problems.forEach(pr::add);

        // throughput and latency in the window
        r.put("throughput_rps", inW / seconds);
        r.put("throughput_out_rps", outW / seconds);
        Histogram total = new Histogram(Observer.MAX_MICROS, 3);
        for (Histogram h : intervals) {
            total.add(h);
        }
        if (total.getTotalCount() > 0) {
            ObjectNode l = r.putObject("latency_ms");
            l.put("p50", ms(total.getValueAtPercentile(50)));
            l.put("p90", ms(total.getValueAtPercentile(90)));
            l.put("p95", ms(total.getValueAtPercentile(95)));
            l.put("p99", ms(total.getValueAtPercentile(99)));
            l.put("p999", ms(total.getValueAtPercentile(99.9)));
            l.put("max", ms(total.getMaxValue()));
            r.put("latency_samples", total.getTotalCount());
            ArrayNode dist = r.putArray("latency_distribution");
            for (double p : new double[] {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100}) {
                if (p < 100 && total.getTotalCount() * (1 - p / 100) < 1) {
                    continue; // a percentile finer than the sample count would repeat the max
                }
                dist.addArray().add(p).add(ms(p == 100 ? total.getMaxValue() : total.getValueAtPercentile(p)));
            }
        } else if (RunPlan.sendTimeField(scenario) != null && v.recordsOut() > 0) {
            problems.add("no output row carried '" + RunPlan.sendTimeField(scenario) + "' in the measured window: no latency measured");
        }
        if (inW > 0) {
            r.put("alloc_bytes_per_record", allocW / inW);
            r.put("cpu_ns_per_record", cpuEngineW / inW);
        }
        r.put("alloc_rate_mb_s", allocW / seconds / (1 << 20));
        ObjectNode g = r.putObject("gc");
        g.put("count", gcCount);
        g.put("pause_ms_total", round(gcTotalMs));
        g.put("pause_ms_max", round(gcMaxMs));
        r.put("heap_peak_bytes", heapPeak);

        // CPU of each process over the window, in cores
        if (cpuStart != null && cpuEnd != null) {
            double wall = (cpuEnd[4] - cpuStart[4]) / 1e9;
            ObjectNode c = r.putObject("cpu");
            c.put("engine_cores", round((cpuEnd[0] - cpuStart[0]) / 1e9 / wall));
            if (cpuStart[1] >= 0 && cpuEnd[1] >= 0) {
                c.put("generator_cores", round((cpuEnd[1] - cpuStart[1]) / 1e9 / wall));
            }
            if (cpuStart[2] >= 0 && cpuEnd[2] >= 0) {
                c.put("broker_cores", round((cpuEnd[2] - cpuStart[2]) / 1e9 / wall));
            }
            c.put("observer_cores", round((cpuEnd[3] - cpuStart[3]) / 1e9 / wall));
            c.put("machine_cores", Runtime.getRuntime().availableProcessors());
            double sentW = genDelta(genTicks, ws, we);
            double target = schedule.recordsBetween(windowStartMicros - t0Micros, windowEndMicros - t0Micros);
            c.put("target_send_rate", round(target / seconds));
            c.put("achieved_send_rate", round(sentW / seconds));
            long behindMax = 0;
            for (JsonNode t : genTicks) {
                long at = t.path("epoch_ms").asLong();
                if (at >= ws && at <= we) {
                    behindMax = Math.max(behindMax, t.path("behind_us_max").asLong());
                }
            }
            c.put("generator_behind_ms_max", round(behindMax / 1000.0));
            // the generator was the limit when it could not keep to its own schedule
            c.put("generator_limited", target > 0 && sentW < 0.95 * target);
        }

        // the engine's own accounting, from its final report(s)
        long hits = 0;
        long misses = 0;
        Map<String, Long> stages = new LinkedHashMap<>();
        for (List<JsonNode> h : engineHistories) {
            for (JsonNode e : h) {
                hits += e.path("pool_hits").asLong();
                misses += e.path("pool_misses").asLong();
                e.path("stage_nanos").fields().forEachRemaining(f -> stages.merge(f.getKey(), Math.max(0, f.getValue().asLong()), Long::sum));
                if (e.path("heap_after_gc_bytes").asLong(-1) >= 0) {
                    r.put("heap_after_gc_bytes", e.get("heap_after_gc_bytes").asLong());
                    r.put("heap_before_bytes", e.get("heap_before_bytes").asLong());
                }
                if (e.has("profile")) {
                    r.set("profile", e.get("profile"));
                }
                if (e.has("summary")) {
                    r.put("engine_summary", e.get("summary").asText());
                }
            }
        }
        if (hits + misses > 0) {
            r.put("pool_hit_rate", round4((double) hits / (hits + misses)));
        }
        if (recordsInTotal > 0 && !stages.isEmpty()) {
            ObjectNode st = r.putObject("stages_ns_per_record");
            long pipeline = stages.getOrDefault("pipeline", 0L);
            long sink = stages.getOrDefault("sink", 0L);
            long encode = stages.getOrDefault("encode", 0L);
            st.put("queue_wait", round(stages.getOrDefault("queue_wait", 0L) / (double) recordsInTotal));
            st.put("decode", round(stages.getOrDefault("decode", 0L) / (double) recordsInTotal));
            st.put("operators", round(Math.max(0, pipeline - sink) / (double) recordsInTotal));
            st.put("encode", round(encode / (double) recordsInTotal));
            st.put("sink_write", round(Math.max(0, sink - encode) / (double) recordsInTotal));
        }
        if (killed > 0) {
            r.put("kills", killed);
        }
        r.put("hlog", hlog);
        r.put("rate", rate);

        // per-second series
        ObjectNode s = r.putObject("series");
        ArrayNode ts = s.putArray("t_s");
        ArrayNode inRps = s.putArray("in_rps");
        ArrayNode outRps = s.putArray("out_rps");
        ArrayNode p50 = s.putArray("p50_ms");
        ArrayNode p99 = s.putArray("p99_ms");
        ArrayNode max = s.putArray("max_ms");
        ArrayNode alloc = s.putArray("alloc_mb_s");
        ArrayNode heap = s.putArray("heap_used_mb");
        ArrayNode gcs = s.putArray("gc_pause_ms");
        int i = 0;
        for (long sec = ws; sec < we; sec += 1000, i++) {
            ts.add(i + 1);
            double in = 0;
            double al = 0;
            long hp = 0;
            for (List<JsonNode> l : series.values()) {
                in += delta(l, "records_in", sec, sec + 1000);
                al += delta(l, "alloc_bytes", sec, sec + 1000);
                hp = Math.max(hp, valueAt(l, "heap_used", sec + 1000).longValue());
            }
            inRps.add(round(in));
            alloc.add(round(al / (1 << 20)));
            heap.add(round(hp / (double) (1 << 20)));
            long o2 = 0;
            for (long[] op : outPerSecond) {
                if (op[0] > sec && op[0] <= sec + 1000) {
                    o2 += op[1];
                }
            }
            outRps.add(o2);
            Histogram h = i < intervals.size() ? intervals.get(i) : null;
            p50.add(h == null || h.getTotalCount() == 0 ? 0 : ms(h.getValueAtPercentile(50)));
            p99.add(h == null || h.getTotalCount() == 0 ? 0 : ms(h.getValueAtPercentile(99)));
            max.add(h == null || h.getTotalCount() == 0 ? 0 : ms(h.getMaxValue()));
            double pause = 0;
            for (JsonNode t : engineTicks) {
                for (JsonNode p : t.path("pauses")) {
                    long at = p.get(0).asLong();
                    if (at >= sec && at < sec + 1000) {
                        pause += p.get(1).asLong() / 1000.0;
                    }
                }
            }
            gcs.add(round(pause));
        }
        if (!problems.isEmpty()) {
            pr.removeAll();
            problems.forEach(pr::add);
            r.put("verified", false);
        }
        return r;
    }

    private static double genDelta(List<JsonNode> ticks, long from, long to) {
        return delta(ticks, "sent", from, to);
    }

    /** A cumulative counter's increase over [from, to], interpolated between the ticks around each edge. */
    static double delta(List<JsonNode> ticks, String field, long from, long to) {
        return valueAt(ticks, field, to) - valueAt(ticks, field, from);
    }

    static Double valueAt(List<JsonNode> ticks, String field, long at) {
        if (ticks.isEmpty()) {
            return 0.0;
        }
        JsonNode prev = null;
        for (JsonNode t : ticks) {
            long ta = t.path("epoch_ms").asLong();
            if (ta >= at) {
                if (prev == null) {
                    return 0.0; // the series starts after the point: nothing counted yet
                }
                long pa = prev.path("epoch_ms").asLong();
                double pv = prev.path(field).asDouble();
                double tv = t.path(field).asDouble();
                return ta == pa ? tv : pv + (tv - pv) * (at - pa) / (double) (ta - pa);
            }
            prev = t;
        }
        return prev.path(field).asDouble();
    }

    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    static double round4(double d) {
        return Math.round(d * 10000) / 10000.0;
    }
}
