package io.velo.harness.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.pipeline.PipelineBenchmark;
import io.velo.harness.pipeline.PipelineKind;
import io.velo.harness.scenario.Scenario;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code type: pipelines}: the engine-only kinds ({@code bench pipelines}) as a scenario, so that their
 * figures get baselines and a gate. Each repetition is one full pipelines run (each kind in a fresh
 * JVM, its own warm-ups and measured runs, median); the gate's natural metric is each kind's
 * engine/hand-written ratio, which the machine's speed mostly cancels out of.
 */
final class PipelineScenario {
    private PipelineScenario() {
    }

    static void run(Scenario s, PrintStream progress, List<ObjectNode> reps) {
        List<PipelineKind> kinds = new ArrayList<>();
        for (String k : s.kinds()) {
            kinds.add(PipelineKind.of(k));
        }
        int records = (int) Math.max(10_000, Math.min(Integer.MAX_VALUE, s.load().rate().orElse(1_000_000) * s.load().duration().toSeconds()));
        for (int i = 0; i < s.repetitions(); i++) {
            ObjectNode r = new PipelineBenchmark(records, 1024, 2, 3, false, progress).run(kinds, false);
            r.put("verified", PipelineBenchmark.allVerified(r));
            double sum = 0;
            int n = 0;
            for (var e : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) () -> r.path("kinds").fields()) {
                sum += e.getValue().path("rps").asDouble();
                n++;
            }
            r.put("throughput_rps", n == 0 ? 0 : sum / n);
            r.put("records_in", (long) records * n);
            reps.add(r);
        }
    }
}
