package io.velo.harness.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The main class of the JVM forked for one kind:
 * {@code KIND RECORDS BATCH_SIZE WARMUPS REPETITIONS SABOTAGE [THREADS]}. Planner notices go to stderr; the
 * result goes to stdout as one JSON line after {@link PipelineBenchmark#RESULT_MARKER}.
 */
public final class PipelineFork {
    private PipelineFork() {
    }

    public static void main(String[] args) throws Exception {
        PipelineKind kind = PipelineKind.of(args[0]);
        int records = Integer.parseInt(args[1]);
        PipelineBenchmark bench = new PipelineBenchmark(records, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Boolean.parseBoolean(args[5]), System.err)
                .threads(args.length > 6 ? Integer.parseInt(args[6]) : 1);
        ObjectNode result;
        try {
            result = bench.measure(kind, new TradeData(records, PipelineBenchmark.SEED, kind.keyed()));
        } catch (RuntimeException | OutOfMemoryError e) {
            result = PipelineBenchmark.failed(kind, "the run failed: " + e);
        }
        System.out.println(PipelineBenchmark.RESULT_MARKER + new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        System.exit(0);
    }
}
