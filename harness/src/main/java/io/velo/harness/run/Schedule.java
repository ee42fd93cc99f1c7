package io.velo.harness.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The open-loop load profile: when record number {@code seq} (1-based) is due, in microseconds after
 * the start. Piecewise: a linear ramp-up from a tenth of the rate to the rate, then the steady rate,
 * with bursts that replace the rate for their span. The generator sends each record at its due time
 * (or at once, when behind) and stamps it with that time, so latency counts from when the record
 * should have been sent — a stall anywhere shows up in every record it delays (no coordinated
 * omission).
 */
public final class Schedule {
    /** A span of constant or linearly changing rate: [startMicros, endMicros), records/s from r0 to r1. */
    record Segment(long startMicros, long endMicros, double r0, double r1, double recordsBefore) {
        double records() {
            return (r0 + r1) / 2 * (endMicros - startMicros) / 1e6;
        }
    }

    public record Burst(long atMicros, long durationMicros, double rate) { }

    private final List<Segment> segments = new ArrayList<>();
    private final long totalRecords;
    private final long endMicros;

    /**
     * @param rate        steady records/s
     * @param rampMicros  ramp-up span (0 for none), counted inside the total span
     * @param totalMicros the whole load span (warm-up + measured duration)
     */
    public Schedule(double rate, long rampMicros, long totalMicros, List<Burst> bursts) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        // boundaries: ramp end, burst starts and ends
        List<Long> points = new ArrayList<>(List.of(0L, Math.min(rampMicros, totalMicros), totalMicros));
        for (Burst b : bursts) {
            points.add(Math.min(totalMicros, b.atMicros()));
            points.add(Math.min(totalMicros, b.atMicros() + b.durationMicros()));
        }
        points.sort(Long::compare);
        double before = 0;
        for (int i = 0; i + 1 < points.size(); i++) {
            long a = points.get(i);
            long z = points.get(i + 1);
            if (z <= a) {
                continue;
            }
            double r0 = rateAt(a, rate, rampMicros, bursts);
            double r1 = rateAt(z, rate, rampMicros, bursts, true);
            Segment s = new Segment(a, z, r0, r1, before);
            segments.add(s);
            before += s.records();
        }
        this.totalRecords = (long) Math.floor(before);
        this.endMicros = totalMicros;
    }

    private static double rateAt(long t, double rate, long ramp, List<Burst> bursts) {
        return rateAt(t, rate, ramp, bursts, false);
    }

    /** The rate at t (or just before t, for a segment's end). */
    private static double rateAt(long t, double rate, long ramp, List<Burst> bursts, boolean leftLimit) {
        for (Burst b : bursts) {
            boolean inside = leftLimit ? t > b.atMicros() && t <= b.atMicros() + b.durationMicros()
                    : t >= b.atMicros() && t < b.atMicros() + b.durationMicros();
            if (inside) {
                return b.rate();
            }
        }
        if (ramp > 0 && t < ramp || (leftLimit && ramp > 0 && t <= ramp)) {
            return rate * (0.1 + 0.9 * Math.min(1.0, (double) t / ramp));
        }
        return rate;
    }

    /** Records the whole schedule sends. */
    public long totalRecords() {
        return totalRecords;
    }

    public long endMicros() {
        return endMicros;
    }

    /** Microseconds after the start at which record {@code seq} (1-based) is due. */
    public long dueMicros(long seq) {
        double n = seq - 1;
        for (Segment s : segments) {
            if (n < s.recordsBefore() + s.records() || s == segments.get(segments.size() - 1)) {
                double k = n - s.recordsBefore();
                double span = (s.endMicros() - s.startMicros()) / 1e6;
                double a = (s.r1() - s.r0()) / span; // rate slope per second
                double t;
                if (Math.abs(a) < 1e-9) {
                    t = k / s.r0();
                } else {
                    // k = r0 t + a t^2 / 2
                    t = (-s.r0() + Math.sqrt(s.r0() * s.r0() + 2 * a * k)) / a;
                }
                return s.startMicros() + (long) (t * 1e6);
            }
        }
        return endMicros;
    }

    /** Records due in [fromMicros, toMicros) — what the measured window should receive. */
    public long recordsBetween(long fromMicros, long toMicros) {
        return countBefore(toMicros) - countBefore(fromMicros);
    }

    private long countBefore(long t) {
        double n = 0;
        for (Segment s : segments) {
            if (t >= s.endMicros()) {
                n = s.recordsBefore() + s.records();
            } else if (t > s.startMicros()) {
                double dt = (t - s.startMicros()) / 1e6;
                double span = (s.endMicros() - s.startMicros()) / 1e6;
                double a = (s.r1() - s.r0()) / span;
                n = s.recordsBefore() + s.r0() * dt + a * dt * dt / 2;
                break;
            } else {
                break;
            }
        }
        return (long) Math.ceil(Math.min(n, totalRecords));
    }
}
