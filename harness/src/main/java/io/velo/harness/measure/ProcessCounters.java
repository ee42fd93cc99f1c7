package io.velo.harness.measure;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated and CPU time used by this whole process between two points: the allocation is the
 * sum of {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} over every live thread (the
 * job's own thread and the Kafka clients' network and heartbeat threads alike); the CPU time is the
 * process's ({@code OperatingSystemMXBean#getProcessCpuTime}, JIT and GC threads included).
 *
 * <p>A thread that starts after {@link #start} counts from zero; one that ends before {@link #stop}
 * loses what it allocated (the JDK 17 API has no total over dead threads). The benchmarks call both
 * while every client is open, so no thread of theirs starts or ends in between.
 */
public final class ProcessCounters {
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, Long> allocatedAtStart = new HashMap<>();
    private long cpuAtStart;
    private long allocated = -1;
    private long cpu = -1;

    public ProcessCounters() {
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    /** The start of the measured section. */
    public void start() {
        allocatedAtStart.clear();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                allocatedAtStart.put(ids[i], bytes[i]);
            }
        }
        cpuAtStart = os.getProcessCpuTime();
    }

    /** The end of the measured section. */
    public void stop() {
        long c = os.getProcessCpuTime();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        long sum = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                sum += bytes[i] - allocatedAtStart.getOrDefault(ids[i], 0L);
            }
        }
        allocated = sum;
        cpu = c - cpuAtStart;
    }

    /** Bytes allocated by every thread of this process in the measured section. */
    public long allocatedBytes() {
        return allocated;
    }

    /** CPU nanoseconds of this process in the measured section (-1 where the platform does not say). */
    public long cpuNanos() {
        return cpu;
    }
}
