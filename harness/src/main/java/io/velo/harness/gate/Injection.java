package io.velo.harness.gate;

/** A deliberate change a {@link RepetitionSource} applies to a run, so the self-test can measure detection. */
public enum Injection {
    /** The code as it is. */
    NONE,
    /** About 10% less throughput / 10% more CPU time per record (e.g. a busy loop in the hot path). */
    SLOWDOWN_10PCT,
    /** About +20% p99 latency (e.g. occasional delays in the sink). */
    P99_PLUS_20PCT
}
