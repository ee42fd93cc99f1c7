package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.scenario.Scenario;

/**
 * Figures a repetition derives from what it measured, where the scenario calls for them: bytes of live
 * state per key (memory-pressure: the engine's heap after a full GC at the end, less its heap before the
 * load, over the keys its output holds), and the recovery time after each burst (burst: the seconds
 * from the burst's end until the per-second p99 is back within twice the pre-burst p99 and the output
 * rate back to the steady rate).
 */
final class Derived {
    private Derived() {
    }

    static void add(Scenario s, ObjectNode r) {
        long keys = r.path("distinct_keys").asLong(0);
        if (r.has("heap_after_gc_bytes") && keys > 0) {
            long state = r.get("heap_after_gc_bytes").asLong() - r.path("heap_before_bytes").asLong();
            r.put("state_bytes_per_key", RepetitionMetrics.round(Math.max(0, state) / (double) keys));
        }
        if (!s.load().bursts().isEmpty() && r.has("series")) {
            JsonNode series = r.get("series");
            JsonNode p99 = series.path("p99_ms");
            JsonNode in = series.path("in_rps");
            long warmupS = s.load().warmup().toSeconds();
            double worst = 0;
            for (var b : s.load().bursts()) {
                int before = (int) (b.at().toSeconds() - warmupS); // index of the burst's first second in the window
                int end = (int) ((b.at().toSeconds() + b.duration().toSeconds()) - warmupS);
                if (before <= 1 || end >= p99.size()) {
                    continue;
                }
                double calm = 0;
                for (int i = 0; i < before; i++) {
                    calm = Math.max(calm, p99.get(i).asDouble());
                }
                double steady = s.load().rate().orElse(0);
                int recovered = -1;
                for (int i = end; i < p99.size(); i++) {
                    if (p99.get(i).asDouble() <= Math.max(2 * calm, 1.0) && in.get(i).asDouble() <= 1.1 * steady) {
                        recovered = i;
                        break;
                    }
                }
                double sec = recovered < 0 ? Double.POSITIVE_INFINITY : recovered - end;
                worst = Math.max(worst, sec);
                r.put("burst_peak_p99_ms", max(p99, before, Math.min(p99.size(), end + 1)));
            }
            r.put("recovery_s", Double.isInfinite(worst) ? -1 : worst);
            if (Double.isInfinite(worst)) {
                r.put("recovered", false);
            } else {
                r.put("recovered", true);
            }
        }
    }

    private static double max(JsonNode a, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, a.get(i).asDouble());
        }
        return m;
    }
}
