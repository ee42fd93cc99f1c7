package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.peer.PeerComparison;
import io.velo.harness.scenario.Scenario;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code type: peer}: the same queries run by Velo and by Kafka Streams on the same broker in the same
 * run ({@link PeerComparison}), each side verified. The input is preloaded ({@code load.rate} ×
 * {@code load.duration} records) and each side drains it as fast as it can: a throughput comparison,
 * not a latency one. Each repetition is one comparison; the result's {@code peer} section holds the
 * medians.
 */
final class PeerScenario {
    private PeerScenario() {
    }

    static ObjectNode run(Scenario s, String bootstrap, PrintStream progress, List<ObjectNode> reps) {
        long records = Math.max(10_000, s.load().rate().orElse(100_000) * s.load().duration().toSeconds());
        for (int i = 0; i < s.repetitions(); i++) {
            ObjectNode p = PeerComparison.run(bootstrap, records, 1, progress);
            ObjectNode r = p.objectNode();
            r.set("peer", p);
            boolean verified = true;
            StringBuilder problems = new StringBuilder();
            for (String q : List.of("filter_projection", "tumbling_count")) {
                JsonNode side = p.path(q);
                verified &= side.path("verified").asBoolean();
                side.path("problems").forEach(x -> problems.append(q).append(": ").append(x.asText()).append("; "));
            }
            r.put("verified", verified);
            r.put("records_in", records);
            r.put("throughput_rps", p.path("filter_projection").path("velo_rps").asDouble());
            if (problems.length() > 0) {
                r.putArray("problems").add(problems.toString());
            }
            reps.add(r);
        }
        return (ObjectNode) reps.get(reps.size() / 2).get("peer");
    }
}
