package io.velo.harness.pipeline;

import java.lang.management.ManagementFactory;

/**
 * Wall clock, CPU time and bytes allocated by the threads that run one side of a timed section.
 *
 * <p>One thread (every side today): the calling thread's own counters, read without allocating. Several
 * threads (an engine side driven by N workers, as {@code --threads N} will need): the allocation is
 * summed over those threads' ids ({@code ThreadMXBean.getThreadAllocatedBytes(long[])}), and the CPU
 * time is the whole process's ({@code OperatingSystemMXBean.getProcessCpuTime}, which then also counts
 * the JIT and GC threads — the honest cost of a side that has the machine to itself). A thread must be
 * alive from {@link #start} to {@link #stop}: one that ends in between takes its count with it.
 */
final class Meter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The metered threads; null for the calling thread. */
    private final long[] ids;
    private long t0;
    private long c0;
    private long a0;
    long wallNanos;
    long cpuNanos;
    long allocatedBytes;

    private Meter(long[] ids) {
        this.ids = ids;
    }

    /** Meters the calling thread (which must also be the one calling {@link #start} and {@link #stop}). */
    static Meter currentThread() {
        return new Meter(null);
    }

    /** Meters the given threads, CPU as the process's. */
    static Meter threads(long... ids) {
        return new Meter(ids.clone());
    }

    void start() {
        if (ids == null) {
            c0 = THREADS.getCurrentThreadCpuTime();
            a0 = THREADS.getCurrentThreadAllocatedBytes();
        } else {
            c0 = OS.getProcessCpuTime();
            a0 = allocated(ids);
        }
        t0 = System.nanoTime();
    }

    /**
     * Ends the allocation count here, before the threads end (a parallel stage's workers end when it
     * finishes); wall and CPU time go on to {@link #stop}.
     */
    void allocationEndsHere() {
        if (ids != null) {
            allocationEnd = allocated(ids);
        }
    }

    private long allocationEnd = -1;

    void stop() {
        long t1 = System.nanoTime();
        if (ids == null) {
            long a1 = THREADS.getCurrentThreadAllocatedBytes();
            long c1 = THREADS.getCurrentThreadCpuTime();
            allocatedBytes = a1 - a0;
            cpuNanos = c1 - c0;
        } else {
            long a1 = allocationEnd >= 0 ? allocationEnd : allocated(ids);
            long c1 = OS.getProcessCpuTime();
            allocatedBytes = a1 - a0;
            cpuNanos = c1 - c0;
        }
        wallNanos = t1 - t0;
    }

    private static long allocated(long[] ids) {
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(ids)) {
            sum += Math.max(0, b);
        }
        return sum;
    }
}
