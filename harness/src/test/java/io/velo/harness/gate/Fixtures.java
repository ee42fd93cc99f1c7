package io.velo.harness.gate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.result.ResultFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Result files built in tests, in the format of docs/results.md. */
final class Fixtures {
    static final String CLASS = "amd64-test-cpu-2c-jdk17";

    private Fixtures() {
    }

    /** A scenario result whose repetitions carry throughput_rps and latency_ms.p99. */
    static ObjectNode result(String scenario, double[] throughput, double[] p99) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("kind", ResultFile.SCENARIO_KIND);
        r.put("format_version", 1);
        r.put("scenario", scenario);
        r.put("scenario_hash", "aaaa1111");
        r.putObject("machine").put("class", CLASS).put("cores", 2);
        r.put("verified", true);
        ObjectNode metrics = r.putObject("gate").putObject("metrics");
        metrics.putObject("throughput_rps").put("direction", "higher").put("tolerance", 0.05);
        metrics.putObject("latency_ms.p99").put("direction", "lower").put("tolerance", 0.15);
        r.with("gate").put("alpha", 0.05);
        ArrayNode reps = r.putArray("repetitions");
        for (int i = 0; i < Math.max(throughput.length, p99.length); i++) {
            ObjectNode rep = reps.addObject();
            rep.put("verified", true);
            if (i < throughput.length) {
                rep.put("throughput_rps", throughput[i]);
            }
            if (i < p99.length) {
                rep.putObject("latency_ms").put("p50", 0.5).put("p99", p99[i]);
            }
        }
        r.put("throughput_rps", Statistics.median(throughput.length > 0 ? throughput : new double[] {0}));
        return r;
    }

    static double[] scaled(double[] v, double factor) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] * factor;
        }
        return r;
    }

    static final double[] TPUT = {20010, 19950, 20100, 19980, 20040};
    static final double[] P99 = {2.30, 2.31, 2.29, 2.32, 2.30};

    /** Writes the result as {@code dir/result.json} with an hlog per repetition and one for the whole. */
    static Path write(Path dir, ObjectNode result) throws IOException {
        Files.createDirectories(dir);
        result.put("hlog", "latency.hlog");
        Files.writeString(dir.resolve("latency.hlog"), "#[merged histogram log of " + dir + "]\n");
        ArrayNode reps = (ArrayNode) result.get("repetitions");
        for (int i = 0; i < reps.size(); i++) {
            String name = "latency-rep" + (i + 1) + ".hlog";
            ((ObjectNode) reps.get(i)).put("hlog", name);
            Files.writeString(dir.resolve(name), "#[rep " + (i + 1) + " of " + dir + "]\n");
        }
        Path file = dir.resolve("result.json");
        ResultFile.write(result, file);
        return file;
    }
}
