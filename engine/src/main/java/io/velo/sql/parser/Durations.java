package io.velo.sql.parser;

import java.util.Locale;

/** Duration text: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} and long unit names. */
public final class Durations {
    private Durations() {
    }

    /** Milliseconds per unit, or -1 for an unknown unit. */
    public static long unitMillis(String unit) {
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "ms": case "millis": case "millisecond": case "milliseconds": return 1;
            case "s": case "sec": case "second": case "seconds": return 1000;
            case "m": case "min": case "minute": case "minutes": return 60_000;
            case "h": case "hour": case "hours": return 3_600_000;
            case "d": case "day": case "days": return 86_400_000;
            default: return -1;
        }
    }

    /** Parses {@code 10s}, {@code 250 ms}, {@code 2 minutes}; throws IllegalArgumentException on bad text. */
    public static long parseMillis(String text) {
        String t = text.trim();
        int k = 0;
        while (k < t.length() && Character.isDigit(t.charAt(k))) {
            k++;
        }
        if (k == 0) {
            throw new IllegalArgumentException("expected a duration like 500ms, 30s, 5m, 2h or 1d, got '" + text + "'");
        }
        String unit = t.substring(k).trim();
        long per = unit.isEmpty() ? 1 : unitMillis(unit);
        if (per < 0) {
            throw new IllegalArgumentException("unknown duration unit '" + unit + "' in '" + text + "' (use ms, s, m, h or d)");
        }
        return Math.multiplyExact(Long.parseLong(t.substring(0, k)), per);
    }
}
