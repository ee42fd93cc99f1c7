package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The top of a result: each numeric metric the median of its repetitions (spread stays in the repetitions). */
final class Aggregate {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Per-repetition detail that has no median: series, files, lists. */
    private static final Set<String> SKIP = Set.of("series", "latency_distribution", "problems", "hlog", "profile", "scaling",
            "engine_summary", "search");

    private Aggregate() {
    }

    static ObjectNode medians(List<ObjectNode> reps) {
        ObjectNode out = MAPPER.createObjectNode();
        if (reps.isEmpty()) {
            return out;
        }
        merge(out, reps.stream().map(r -> (JsonNode) r).toList());
        return out;
    }

    private static void merge(ObjectNode out, List<JsonNode> nodes) {
        JsonNode shape = nodes.get(0);
        Iterator<Map.Entry<String, JsonNode>> it = shape.fields();
        while (it.hasNext()) {
            var e = it.next();
            String k = e.getKey();
            if (SKIP.contains(k)) {
                continue;
            }
            List<JsonNode> vals = new ArrayList<>();
            for (JsonNode n : nodes) {
                if (n.has(k)) {
                    vals.add(n.get(k));
                }
            }
            JsonNode v = e.getValue();
            if (v.isObject()) {
                ObjectNode child = out.putObject(k);
                merge(child, vals);
            } else if (v.isNumber()) {
                double[] d = vals.stream().filter(JsonNode::isNumber).mapToDouble(JsonNode::asDouble).toArray();
                out.put(k, RepetitionMetrics.round4(d.length == 0 ? 0 : io.velo.harness.gate.Statistics.median(d)));
            } else if (v.isBoolean()) {
                // a flag that any repetition raised stays raised, except "verified", which all must be
                boolean any = vals.stream().anyMatch(JsonNode::asBoolean);
                boolean all = vals.stream().allMatch(JsonNode::asBoolean);
                out.put(k, k.equals("verified") || k.startsWith("met_") ? all : any);
            } else if (v.isTextual()) {
                out.set(k, v);
            }
        }
    }
}
