package io.velo.harness.scenario;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as scenario files write them: a number and a unit, {@code 30s}, {@code 500ms}, {@code 2m},
 * {@code 1h}, {@code 1.5s}. A unit is required: a bare {@code 30} is ambiguous and refused.
 */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h|d)\\s*");

    private Durations() {
    }

    /** Parses {@code NUMBER UNIT} with unit ns, us, ms, s, m, h or d; throws IllegalArgumentException otherwise. */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing duration");
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + text + "' (expected a number and a unit: ns, us, ms, s, m, h or d, e.g. 30s or 500ms)");
        }
        BigDecimal nanosPerUnit;
        switch (m.group(2)) {
            case "ns": nanosPerUnit = BigDecimal.ONE; break;
            case "us": nanosPerUnit = BigDecimal.valueOf(1_000L); break;
            case "ms": nanosPerUnit = BigDecimal.valueOf(1_000_000L); break;
            case "s": nanosPerUnit = BigDecimal.valueOf(1_000_000_000L); break;
            case "m": nanosPerUnit = BigDecimal.valueOf(60_000_000_000L); break;
            case "h": nanosPerUnit = BigDecimal.valueOf(3_600_000_000_000L); break;
            default: nanosPerUnit = BigDecimal.valueOf(86_400_000_000_000L); break;
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(nanosPerUnit);
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("bad duration '" + text + "' (finer than a nanosecond)");
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("bad duration '" + text + "' (too long)");
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** The shortest exact text for a duration in the units {@link #parse} reads: 2m, 500ms, 1500us. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        long[] per = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] unit = {"d", "h", "m", "s", "ms", "us", "ns"};
        for (int i = 0; i < per.length; i++) {
            if (nanos % per[i] == 0) {
                return nanos / per[i] + unit[i];
            }
        }
        return nanos + "ns";
    }
}
