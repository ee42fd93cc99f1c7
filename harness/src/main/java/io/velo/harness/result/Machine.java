package io.velo.harness.result;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The environment fingerprint of a run: CPU model, cores, memory, OS, JVM and its flags; and the
 * machine class derived from it — the stable part (architecture, CPU model, cores, JVM major) that
 * decides which baselines a result may be compared with.
 */
public final class Machine {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Machine() {
    }

    /** The CPU model as the OS names it ({@code /proc/cpuinfo}'s "model name"), or the architecture. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    public static int jvmMajor() {
        return Runtime.version().feature();
    }

    /** {@code <arch>-<cpu model slug>-<cores>c-jdk<major>}, e.g. {@code amd64-intel-xeon-platinum-8370c-2c-jdk17}. */
    public static String machineClass() {
        return machineClass(System.getProperty("os.arch"), cpuModel(), Runtime.getRuntime().availableProcessors(), jvmMajor());
    }

    static String machineClass(String arch, String cpuModel, int cores, int jvmMajor) {
        String slug = cpuModel.toLowerCase(Locale.ROOT)
                .replaceAll("\\((r|tm)\\)", "")
                .replaceAll("\\bcpu\\b", "")
                .replaceAll("@.*$", "")
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return arch.toLowerCase(Locale.ROOT) + "-" + slug + "-" + cores + "c-jdk" + jvmMajor;
    }

    /** The fingerprint of this JVM, for a result's {@code machine} field. */
    public static ObjectNode fingerprint() {
        return fingerprint(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The fingerprint with the flags of another JVM (a forked engine's), for a result's {@code machine} field. */
    public static ObjectNode fingerprint(List<String> jvmFlags) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("class", machineClass());
        m.put("cpu_model", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("arch", System.getProperty("os.arch"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jvm_version", System.getProperty("java.version"));
        m.put("jvm_vendor", System.getProperty("java.vendor"));
        m.put("jvm_major", jvmMajor());
        ArrayNode flags = m.putArray("jvm_flags");
        jvmFlags.forEach(flags::add);
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        m.put("memory_bytes", memory);
        return m;
    }

    /** The commit this checkout is at ({@code git rev-parse HEAD}, "+dirty" when files differ), or "unknown". */
    public static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String head = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0 || !head.matches("[0-9a-f]{40}")) {
                return "unknown";
            }
            Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true).start();
            String dirty = new String(d.getInputStream().readAllBytes()).trim();
            return d.waitFor() == 0 && !dirty.isEmpty() ? head + "+dirty" : head;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
