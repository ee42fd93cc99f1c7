package io.velo.config;

import java.util.Locale;

/**
 * How a source groups records into batches (the six strategies of the batch configuration guide),
 * reduced to the three limits a source enforces: records, bytes and wait time. Also the Java API:
 * {@code BatchConfig.fixedSize(1000)}, {@code BatchConfig.megaBatch(50_000)}, …
 */
public record BatchConfig(String strategy, int maxRecords, long maxBytes, long maxWaitMillis,
                          int minRecords, long targetLatencyMillis, boolean parallel, boolean reuseBuffers, boolean eager) {

    public BatchConfig(String strategy, int maxRecords, long maxBytes, long maxWaitMillis, int minRecords,
                       long targetLatencyMillis, boolean parallel, boolean reuseBuffers) {
        this(strategy, maxRecords, maxBytes, maxWaitMillis, minRecords, targetLatencyMillis, parallel, reuseBuffers, false);
    }

    public static final int ABSOLUTE_MAX_RECORDS = 1_000_000;

    public static BatchConfig fixedSize(int size) {
        return new BatchConfig("fixed_size", size, Long.MAX_VALUE, 1000, size, 0, false, true);
    }

    public static BatchConfig megaBatch(int size) {
        return new BatchConfig("mega_batch", size, Long.MAX_VALUE, 100, size, 0, false, true);
    }

    public static BatchConfig lowLatency(int maxSize, long waitMillis) {
        return new BatchConfig("low_latency", maxSize, Long.MAX_VALUE, waitMillis, 1, 0, false, true);
    }

    /** Reads the strategy for one side ({@code source} or {@code sink}) from job properties. */
    public static BatchConfig from(JobProperties p, String side) {
        if (!Boolean.parseBoolean(p.scoped(side, "batch.enable", "true"))) {
            return new BatchConfig("disabled", 1, Long.MAX_VALUE, 0, 1, 0, false, false);
        }
        String strategy = p.scoped(side, "batch.strategy", "fixed_size").toLowerCase(Locale.ROOT);
        switch (strategy) {
            case "time_window":
                return new BatchConfig(strategy, 100_000, Long.MAX_VALUE, millis(p, side, "batch.window", "1s"), 1, 0, false, true);
            case "memory_based":
                return new BatchConfig(strategy, 100_000, Long.parseLong(p.scoped(side, "batch.memory_size", "1048576")), 1000, 1, 0, false, true);
            case "adaptive_size": {
                int max = Integer.parseInt(p.scoped(side, "batch.adaptive_max_size", "1000"));
                int min = Integer.parseInt(p.scoped(side, "batch.min_size", "10"));
                return new BatchConfig(strategy, max, Long.MAX_VALUE, millis(p, side, "batch.target_latency", "100ms"), Math.min(min, max),
                        millis(p, side, "batch.target_latency", "100ms"), false, true);
            }
            case "low_latency":
                return new BatchConfig(strategy, Integer.parseInt(p.scoped(side, "batch.low_latency_max_size", "1")), Long.MAX_VALUE,
                        millis(p, side, "batch.low_latency_wait", "1ms"), 1, 0, false, true,
                        Boolean.parseBoolean(p.scoped(side, "batch.eager_processing", "true")));
            case "mega_batch":
                return new BatchConfig(strategy, Math.min(ABSOLUTE_MAX_RECORDS, Integer.parseInt(p.scoped(side, "batch.mega_batch_size", "50000"))),
                        Long.MAX_VALUE, 100, 1, 0, Boolean.parseBoolean(p.scoped(side, "batch.parallel", "false")),
                        Boolean.parseBoolean(p.scoped(side, "batch.reuse_buffer", "true")));
            default: {
                int size = Math.min(ABSOLUTE_MAX_RECORDS, Integer.parseInt(p.scoped(side, "batch.size", "1000")));
                return new BatchConfig("fixed_size", size, Long.MAX_VALUE, millis(p, side, "batch.timeout", "1000ms"), size, 0, false, true);
            }
        }
    }

    private static long millis(JobProperties p, String side, String key, String def) {
        return io.velo.sql.parser.Durations.parseMillis(p.scoped(side, key, def));
    }

    @Override
    public String toString() {
        return strategy + "(records=" + (minRecords < maxRecords && targetLatencyMillis > 0 ? minRecords + ".." : "") + maxRecords + (maxBytes == Long.MAX_VALUE ? "" : ", bytes=" + maxBytes)
                + ", wait=" + (eager ? "0ms (eager)" : maxWaitMillis + "ms") + (targetLatencyMillis > 0 ? ", target latency=" + targetLatencyMillis + "ms" : "")
                + (parallel ? ", parallel decode" : "") + (reuseBuffers ? "" : ", no buffer reuse") + ")";
    }
}
