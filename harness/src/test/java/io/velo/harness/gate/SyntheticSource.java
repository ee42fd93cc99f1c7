package io.velo.harness.gate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A stand-in for the scenario runner: repetitions whose metrics are a fixed level times seeded
 * Gaussian noise (3% standard deviation by default); the injections shift the level as a real one
 * would (10% slowdown: throughput / 1.1 and CPU per record x 1.1; +20% p99).
 */
final class SyntheticSource implements RepetitionSource {
    private final Random random;
    private final double spread;
    final List<Injection> calls = new ArrayList<>();

    SyntheticSource(long seed, double spread) {
        this.random = new Random(seed);
        this.spread = spread;
    }

    static ObjectNode gate() {
        ObjectNode g = JsonNodeFactory.instance.objectNode();
        ObjectNode m = g.putObject("metrics");
        m.putObject("throughput_rps").put("direction", "higher").put("tolerance", 0.05);
        m.putObject("cpu_ns_per_record").put("direction", "lower").put("tolerance", 0.05);
        m.putObject("latency_ms.p99").put("direction", "lower").put("tolerance", 0.15);
        m.putObject("alloc_bytes_per_record").put("direction", "lower").put("tolerance", 0.10);
        g.put("alpha", 0.05);
        return g;
    }

    private double noisy(double level) {
        return level * (1 + spread * random.nextGaussian());
    }

    @Override
    public List<ObjectNode> run(Path scenario, Injection injection, int repetitions) {
        calls.add(injection);
        double slow = injection == Injection.SLOWDOWN_10PCT ? 1.10 : 1.0;
        double p99 = injection == Injection.P99_PLUS_20PCT ? 1.20 : 1.0;
        List<ObjectNode> reps = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            ObjectNode r = JsonNodeFactory.instance.objectNode();
            r.put("verified", true);
            r.put("throughput_rps", noisy(20000 / slow));
            r.put("cpu_ns_per_record", noisy(5000 * slow));
            r.putObject("latency_ms").put("p50", noisy(0.9)).put("p99", noisy(2.3 * p99));
            r.put("alloc_bytes_per_record", noisy(120));
            reps.add(r);
        }
        return reps;
    }
}
