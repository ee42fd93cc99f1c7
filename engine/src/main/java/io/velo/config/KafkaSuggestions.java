package io.velo.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka client settings each batch strategy suggests. They are added as {@code <name>.kafka.*}
 * properties only where the user set nothing, and {@code velo check} shows them with their origin.
 */
public final class KafkaSuggestions {
    private KafkaSuggestions() {
    }

    public static Map<String, String> forSink(BatchConfig b) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (b.strategy().toLowerCase(Locale.ROOT)) {
            case "low_latency":
                m.put("linger.ms", "0");
                m.put("batch.size", "16384");
                m.put("compression.type", "none");
                break;
            case "mega_batch":
                m.put("linger.ms", "20");
                m.put("batch.size", "1048576");
                m.put("compression.type", "lz4");
                break;
            case "memory_based":
                m.put("linger.ms", "10");
                m.put("batch.size", String.valueOf(Math.min(b.maxBytes(), 16L << 20)));
                m.put("compression.type", "lz4");
                break;
            case "time_window":
                m.put("linger.ms", String.valueOf(Math.min(b.maxWaitMillis(), 100)));
                m.put("batch.size", "262144");
                m.put("compression.type", "lz4");
                break;
            case "adaptive_size":
                m.put("linger.ms", String.valueOf(Math.max(1, Math.min(b.targetLatencyMillis() / 10, 50))));
                m.put("batch.size", "131072");
                m.put("compression.type", "snappy");
                break;
            default:
                m.put("linger.ms", "5");
                m.put("batch.size", "65536");
                m.put("compression.type", "lz4");
                break;
        }
        return m;
    }

    public static Map<String, String> forSource(BatchConfig b) {
        Map<String, String> m = new LinkedHashMap<>();
        // at least 500: the source keeps what a poll returned beyond the batch for the next batches, and a
        // consumer poll per record (low_latency's 1-record batches) costs ~100 µs of client bookkeeping each
        m.put("max.poll.records", String.valueOf(Math.max(500, Math.min(b.maxRecords(), 100_000))));
        switch (b.strategy().toLowerCase(Locale.ROOT)) {
            case "low_latency":
                // a fetch returns as soon as one byte is there: the wait only bounds an idle fetch, and a
                // 1 ms bound makes an idle consumer send the broker a thousand empty fetches a second
                m.put("fetch.min.bytes", "1");
                m.put("fetch.max.wait.ms", "100");
                break;
            case "mega_batch":
                m.put("fetch.min.bytes", "1048576");
                m.put("fetch.max.wait.ms", "100");
                m.put("max.partition.fetch.bytes", "8388608");
                break;
            case "memory_based":
                m.put("fetch.max.bytes", String.valueOf(Math.max(1024, Math.min(b.maxBytes(), 64L << 20))));
                break;
            default:
                m.put("fetch.min.bytes", "65536");
                m.put("fetch.max.wait.ms", String.valueOf(Math.max(1, Math.min(b.maxWaitMillis(), 500))));
                break;
        }
        return m;
    }
}
