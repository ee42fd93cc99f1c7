package io.velo.harness.run;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What this JVM spends, sampled while it runs: bytes allocated by all its threads (per-thread
 * counters, summed as deltas so that a thread that ends loses only what it allocated since the last
 * sample), process CPU time, heap in use, and every GC pause as the collector reports it (from its
 * notifications: pauses only — concurrent cycles are not pauses and are left out).
 */
public final class JvmMeter {
    private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Map<Long, Long> lastAllocated = new HashMap<>();
    private long allocated;
    private final List<long[]> pauses = new ArrayList<>(); // [epochMillis, pauseMicros]
    private long pauseCount;
    private long pauseMicrosTotal;
    private long pauseMicrosMax;

    public JvmMeter() {
        threads.setThreadAllocatedMemoryEnabled(true);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String n = gc.getName();
            if (n.contains("Concurrent") || n.contains("Cycles")) {
                continue;
            }
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long micros = info.getGcInfo().getDuration() * 1000L;
                    if (info.getGcInfo().getDuration() == 0) {
                        micros = 500; // reported in whole milliseconds: a sub-millisecond pause counts as half of one
                    }
                    synchronized (pauses) {
                        pauses.add(new long[] {jvmStart + info.getGcInfo().getEndTime(), micros});
                        pauseCount++;
                        pauseMicrosTotal += micros;
                        pauseMicrosMax = Math.max(pauseMicrosMax, micros);
                    }
                }, null, null);
            }
        }
    }

    /** Bytes allocated by this JVM's threads since this meter was made (updated by each call). */
    public synchronized long allocatedBytes() {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] < 0) {
                continue;
            }
            Long last = lastAllocated.put(ids[i], bytes[i]);
            allocated += bytes[i] - (last == null ? 0 : last);
        }
        return allocated;
    }

    public long cpuNanos() {
        return os.getProcessCpuTime();
    }

    public long heapUsed() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The GC pauses since the last call, as [epochMillis, pauseMicros]. */
    public List<long[]> drainPauses() {
        synchronized (pauses) {
            List<long[]> l = new ArrayList<>(pauses);
            pauses.clear();
            return l;
        }
    }

    public long pauseCount() {
        synchronized (pauses) {
            return pauseCount;
        }
    }

    public long pauseMicrosTotal() {
        synchronized (pauses) {
            return pauseMicrosTotal;
        }
    }

    public long pauseMicrosMax() {
        synchronized (pauses) {
            return pauseMicrosMax;
        }
    }

    /** Heap in use after a full collection: what live data holds (the state of a job, say). */
    public long heapAfterGc() {
        System.gc();
        System.gc();
        return heapUsed();
    }
}
