package io.velo.harness.run;

import java.time.Instant;

/**
 * Wall-clock microseconds without an allocation per reading: the epoch time read once at start-up
 * ({@link Instant#now()}, microsecond precision on Linux) plus the monotonic clock since then. The load
 * generator stamps each record's intended send time with it and the observer reads its arrival with
 * it; both processes calibrate against the same system clock, so the offset between them is the
 * clock-reading error (microseconds), far below the latencies measured.
 */
public final class EpochClock {
    private static final long BASE_NANO;
    private static final long BASE_MICROS;

    static {
        Instant a = Instant.now();
        BASE_NANO = System.nanoTime();
        BASE_MICROS = a.getEpochSecond() * 1_000_000L + a.getNano() / 1_000;
    }

    private EpochClock() {
    }

    public static long micros() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANO) / 1_000;
    }
}
