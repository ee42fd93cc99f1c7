package io.velo.types;

/**
 * Allocation-free ISO-8601 timestamps for the hot paths (decoding event times, encoding TIMESTAMP
 * columns): {@code YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|±HH[:MM]]} and bare dates, years 0000–9999.
 * Anything else is left to java.time by the caller. Day arithmetic is the proleptic Gregorian
 * calendar (days-from-civil), as java.time uses.
 */
public final class IsoTimestamps {
    /** Returned by {@link #parse} when the text is not in the fast format. */
    public static final long NOT_FAST = Long.MIN_VALUE;

    private IsoTimestamps() {
    }

    /** Epoch milliseconds of the text, or {@link #NOT_FAST}. */
    public static long parse(CharSequence s) {
        int n = s.length();
        if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return NOT_FAST;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return NOT_FAST;
        }
        long millis = daysFromCivil(year, month, day) * 86_400_000L;
        if (n == 10) {
            return millis;
        }
        char t = s.charAt(10);
        if ((t != 'T' && t != 't' && t != ' ') || n < 16 || s.charAt(13) != ':') {
            return NOT_FAST;
        }
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return NOT_FAST;
        }
        int i = 16;
        int second = 0;
        int fractionMillis = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            if (second < 0 || second > 59) {
                return NOT_FAST;
            }
            i += 3;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                i++;
                int start = i;
                int scale = 100;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    fractionMillis += (s.charAt(i) - '0') * scale; // digits past the third fall below a millisecond
                    scale /= 10;
                    i++;
                }
                if (i == start || i - start > 9) {
                    return NOT_FAST;
                }
            }
        }
        millis += hour * 3_600_000L + minute * 60_000L + second * 1000L + fractionMillis;
        if (i == n) {
            return millis;
        }
        char z = s.charAt(i);
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            return millis;
        }
        if (z != '+' && z != '-') {
            return NOT_FAST;
        }
        int oh = digits(s, i + 1, 2);
        int om = 0;
        int end = i + 3;
        if (end < n) {
            if (s.charAt(end) == ':') {
                end++;
            }
            om = digits(s, end, 2);
            end += 2;
        }
        if (oh < 0 || oh > 18 || om < 0 || om > 59 || end != n) {
            return NOT_FAST;
        }
        long offset = (oh * 3_600_000L + om * 60_000L) * (z == '-' ? -1 : 1);
        return millis - offset;
    }

    /** Appends {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC) for epoch millis in years 0000–9999. */
    public static boolean format(long epochMillis, StringBuilder out) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long ms = Math.floorMod(epochMillis, 86_400_000L);
        // civil-from-days
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        if (y < 0 || y > 9999) {
            return false;
        }
        pad(out, y, 4).append('-');
        pad(out, m, 2).append('-');
        pad(out, d, 2).append('T');
        pad(out, ms / 3_600_000, 2).append(':');
        pad(out, ms / 60_000 % 60, 2).append(':');
        pad(out, ms / 1000 % 60, 2).append('.');
        pad(out, ms % 1000, 3).append('Z');
        return true;
    }

    private static StringBuilder pad(StringBuilder out, long v, int width) {
        long p = width == 4 ? 1000 : width == 3 ? 100 : 10;
        while (p > 1 && v < p) {
            out.append('0');
            p /= 10;
        }
        return out.append(v);
    }

    static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4: case 6: case 9: case 11: return 30;
            default: return 31;
        }
    }

    /** The non-negative number in {@code s[from, from+count)}, or -1 if a character is not a digit. */
    private static int digits(CharSequence s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
