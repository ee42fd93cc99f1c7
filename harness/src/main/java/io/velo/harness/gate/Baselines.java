package io.velo.harness.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.result.ResultFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The baseline store: {@code <baselines>/<machine-class>/<scenario>.json}, a result file with its
 * repetitions plus {@code "baseline": {"saved_at", "source"}}, and its HdrHistogram logs beside it as
 * {@code <scenario>.hlog} and {@code <scenario>-rep<N>.hlog} (N from 1). Baselines are per machine
 * class because numbers from different CPUs or JVMs are not comparable; the result's own class picks
 * the folder, so a result is only ever compared with a baseline from its kind of machine.
 */
public final class Baselines {
    /** Scenario names and machine classes become path segments: keep them to a safe alphabet. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    private Baselines() {
    }

    /** A baseline that cannot be saved or used; the message says what to do. */
    public static final class Problem extends Exception {
        public Problem(String message) {
            super(message);
        }
    }

    /** A loaded baseline, where it came from and any warnings (the scenario changed since it was saved). */
    public record Loaded(ObjectNode baseline, Path file, List<String> warnings) {
    }

    /** Where the baseline of this machine class and scenario lives. */
    public static Path pathFor(Path baselinesDir, String machineClass, String scenario) {
        return baselinesDir.resolve(machineClass).resolve(scenario + ".json");
    }

    /**
     * Saves a verified result as the baseline of its machine class and scenario, with its hlog files.
     * Everything is checked and staged before anything is replaced, so on any error the previous
     * baseline is left as it was.
     *
     * @return the baseline file written
     */
    public static Path save(Path resultFile, Path baselinesDir) throws Problem {
        ObjectNode result;
        try {
            result = ResultFile.read(resultFile);
        } catch (ResultFile.Invalid e) {
            throw new Problem(e.getMessage());
        }
        if (!result.path("verified").asBoolean(true) || (ResultFile.isKind(result, ResultFile.SCENARIO_KIND)
                && !result.path("verified").isBoolean())) {
            throw new Problem(resultFile + ": the result is not verified (\"verified\": " + result.path("verified")
                    + "; problems: " + result.path("problems") + "); a run that produced wrong output cannot be a baseline");
        }
        JsonNode reps = result.get("repetitions");
        for (int i = 0; i < reps.size(); i++) {
            if (!reps.get(i).path("verified").asBoolean(true)) {
                throw new Problem(resultFile + ": repetitions[" + i + "] is not verified; a run that produced wrong output cannot be a baseline");
            }
        }
        String machineClass = result.path("machine").path("class").asText();
        String scenario = result.path("scenario").asText();
        checkSegment(resultFile, "machine.class", machineClass);
        checkSegment(resultFile, "scenario", scenario);

        Path dir = baselinesDir.resolve(machineClass);
        Path target = dir.resolve(scenario + ".json");
        Path resultDir = resultFile.toAbsolutePath().getParent();
        ObjectNode baseline = result.deepCopy();
        // name in the baseline folder -> hlog source; the fields are rewritten to the new names
        Map<String, Path> hlogs = new LinkedHashMap<>();
        if (baseline.path("hlog").isTextual()) {
            Path src = hlogSource(resultFile, resultDir, baseline.get("hlog").asText());
            hlogs.put(scenario + ".hlog", src);
            baseline.put("hlog", scenario + ".hlog");
        }
        JsonNode brep = baseline.get("repetitions");
        for (int i = 0; i < brep.size(); i++) {
            ObjectNode rep = (ObjectNode) brep.get(i);
            if (rep.path("hlog").isTextual()) {
                String name = scenario + "-rep" + (i + 1) + ".hlog";
                hlogs.put(name, hlogSource(resultFile, resultDir, rep.get("hlog").asText()));
                rep.put("hlog", name);
            }
        }
        ObjectNode info = baseline.putObject("baseline");
        info.put("saved_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        info.put("source", resultFile.normalize().toString());

        List<Path[]> staged = new ArrayList<>(); // {temp, final}
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, Path> h : hlogs.entrySet()) {
                Path tmp = Files.createTempFile(dir, "." + h.getKey() + ".", ".tmp");
                staged.add(new Path[] {tmp, dir.resolve(h.getKey())});
                Files.copy(h.getValue(), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path tmpJson = Files.createTempFile(dir, "." + scenario + ".json.", ".tmp");
            staged.add(new Path[] {tmpJson, target});
            ResultFile.MAPPER.writeValue(tmpJson.toFile(), baseline);
            // all staged: replace (the json last, so a reader never sees it before its hlogs)
            for (Path[] s : staged) {
                ResultFile.moveAtomically(s[0], s[1]);
            }
        } catch (IOException e) {
            throw new Problem("cannot save the baseline " + target + ": " + e + " (the previous baseline, if any, is unchanged)");
        } finally {
            for (Path[] s : staged) {
                try {
                    Files.deleteIfExists(s[0]);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
        removeStaleRepetitionLogs(dir, scenario, hlogs.keySet());
        return target;
    }

    private static Path hlogSource(Path resultFile, Path resultDir, String name) throws Problem {
        Path src = resultDir.resolve(name).normalize();
        if (!Files.isRegularFile(src)) {
            throw new Problem(resultFile + ": names the hlog file \"" + name + "\" but " + src + " does not exist; "
                    + "a baseline needs the logs its result names");
        }
        return src;
    }

    /** The previous baseline may have had more repetitions: their logs would be left unreferenced. */
    private static void removeStaleRepetitionLogs(Path dir, String scenario, java.util.Collection<String> keep) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, scenario + "-rep*.hlog")) {
            for (Path p : ds) {
                if (p.getFileName().toString().matches(Pattern.quote(scenario) + "-rep[0-9]+\\.hlog")
                        && !keep.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // stale logs are unreferenced; leaving them is not an error
        }
    }

    private static void checkSegment(Path file, String field, String value) throws Problem {
        if (!SEGMENT.matcher(value).matches() || value.contains("..")) {
            throw new Problem(file + ": " + field + " \"" + value + "\" cannot name a baseline file (letters, digits, . _ + - only)");
        }
    }

    /**
     * Loads the baseline for the result's own machine class and scenario, and checks that it really
     * is one (same kind, machine class and scenario inside the file, not only in its path).
     */
    public static Loaded load(ObjectNode result, Path baselinesDir) throws Problem {
        String machineClass = result.path("machine").path("class").asText();
        String scenario = result.path("scenario").asText();
        String kind = result.path("kind").asText();
        Path file = pathFor(baselinesDir, machineClass, scenario);
        if (!SEGMENT.matcher(machineClass).matches() || !SEGMENT.matcher(scenario).matches() || !Files.exists(file)) {
            List<String> others = classesWith(baselinesDir, scenario);
            throw new Problem("no baseline for scenario '" + scenario + "' on machine class '" + machineClass
                    + "' (looked for " + file + "). Save one from a verified run on this machine with: "
                    + "velo bench baseline save RESULT.json --baselines " + baselinesDir + ". "
                    + (others.isEmpty() ? "No machine class has a baseline for '" + scenario + "'"
                    + listAll(baselinesDir) : "Machine classes with a baseline for '" + scenario + "': " + String.join(", ", others))
                    + ".");
        }
        ObjectNode baseline;
        try {
            baseline = ResultFile.read(file);
        } catch (ResultFile.Invalid e) {
            throw new Problem("corrupt baseline: " + e.getMessage());
        }
        String bKind = baseline.path("kind").asText();
        String bClass = baseline.path("machine").path("class").asText();
        String bScenario = baseline.path("scenario").asText();
        if (!bKind.equals(kind)) {
            throw new Problem(file + ": the baseline is of kind \"" + bKind + "\" but the result is of kind \"" + kind + "\"");
        }
        if (!bClass.equals(machineClass)) {
            throw new Problem(file + ": the baseline says machine.class \"" + bClass + "\" but sits in the folder of \""
                    + machineClass + "\" (copied into the wrong folder?); save baselines with `velo bench baseline save`");
        }
        if (!bScenario.equals(scenario)) {
            throw new Problem(file + ": the baseline says scenario \"" + bScenario + "\" but is stored as \"" + scenario
                    + "\" (copied or renamed?); save baselines with `velo bench baseline save`");
        }
        List<String> warnings = new ArrayList<>();
        String rHash = result.path("scenario_hash").asText("");
        String bHash = baseline.path("scenario_hash").asText("");
        if (!rHash.isEmpty() && !bHash.isEmpty() && !rHash.equals(bHash)) {
            warnings.add("warning: scenario '" + scenario + "' changed since its baseline was saved (scenario_hash "
                    + abbrev(bHash) + " -> " + abbrev(rHash) + "); the comparison may not be like for like");
        }
        return new Loaded(baseline, file, warnings);
    }

    private static String abbrev(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    /** Machine classes that have a baseline of this scenario. */
    static List<String> classesWith(Path baselinesDir, String scenario) {
        TreeSet<String> classes = new TreeSet<>();
        if (Files.isDirectory(baselinesDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(baselinesDir, Files::isDirectory)) {
                for (Path d : ds) {
                    if (Files.isRegularFile(d.resolve(scenario + ".json"))) {
                        classes.add(d.getFileName().toString());
                    }
                }
            } catch (IOException ignored) {
                // listing is only a hint in an error message
            }
        }
        return new ArrayList<>(classes);
    }

    private static String listAll(Path baselinesDir) {
        TreeSet<String> classes = new TreeSet<>();
        if (Files.isDirectory(baselinesDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(baselinesDir, Files::isDirectory)) {
                for (Path d : ds) {
                    classes.add(d.getFileName().toString());
                }
            } catch (IOException ignored) {
                // hint only
            }
        }
        return classes.isEmpty() ? " (" + baselinesDir + " holds no baselines at all)"
                : " (machine classes with any baseline: " + String.join(", ", classes) + ")";
    }
}
