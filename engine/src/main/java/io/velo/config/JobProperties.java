package io.velo.config;

import io.velo.sql.SqlException;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The effective properties of one job, each with its origin. Precedence, highest first: command-line
 * overrides ({@code --set}), the statement's WITH, the declarations of its source and sink, config
 * files, batch-strategy suggestions, defaults. Unknown keys and bad values are SQL errors at their
 * position, found before the job runs.
 *
 * <p>Property names are case-sensitive, except the {@code <name>.} prefix naming a source or sink,
 * which is an SQL identifier: {@code 'Trades.path'} and {@code 'trades.path'} are the same property
 * (stored with the name in lower case).
 */
public final class JobProperties {
    /** The origin (and layer name) of command-line overrides. */
    public static final String OVERRIDE = "--set";

    private final Map<String, Setting> settings = new TreeMap<>();
    private final Set<String> connectorNames;

    private JobProperties(Set<String> connectorNames) {
        this.connectorNames = connectorNames;
    }

    /**
     * @param layers property lists from lowest to highest precedence, each with an origin label
     *               ({@link #OVERRIDE} for command-line overrides)
     * @param connectorNames the source and sink names this job uses (lower case), the query's source first
     * @param baseDir directory that relative config_file paths resolve against
     */
    public static JobProperties resolve(List<Map.Entry<String, List<Statement.Property>>> layers,
                                        Set<String> connectorNames, Path baseDir) {
        JobProperties jp = new JobProperties(connectorNames);
        Map<String, Setting> typed = new LinkedHashMap<>();
        for (Map.Entry<String, List<Statement.Property>> layer : layers) {
            Map<String, Statement.Property> inLayer = new HashMap<>();
            for (Statement.Property written : layer.getValue()) {
                Statement.Property p = jp.foreign(written);
                if (p == null) {
                    continue;
                }
                jp.validateKey(p.key(), p.keyPos());
                String key = jp.canonical(p.key());
                Statement.Property first = inLayer.putIfAbsent(key, p);
                if (first != null) {
                    throw new SqlException(p.keyPos(), "property '" + p.key() + "' is given twice ("
                            + (first.keyPos().isArgument() ? "first as " : "first at ") + first.keyPos()
                            + (first.key().equals(p.key()) ? "" : " as '" + first.key() + "'") + ")");
                }
                String origin = p.keyPos().isArgument() ? layer.getKey() : layer.getKey() + " " + p.keyPos();
                typed.put(key, new Setting(key, p.value(), origin, p.valuePos(), p.keyPos()));
            }
        }
        // config files: lower precedence than anything typed in SQL or on the command line
        for (String name : connectorNames) {
            Setting cf = typed.get(name + ".config_file");
            if (cf == null) {
                continue;
            }
            Map<String, ConfigFiles.Entry> loaded;
            List<ConfigFiles.Entry> fileWarnings = new ArrayList<>();
            try {
                loaded = ConfigFiles.load(baseDir.resolve(cf.value()), cf.value(), k -> jp.fileKey(name, k), fileWarnings);
            } catch (IOException | RuntimeException e) {
                throw new SqlException(cf.pos(), "cannot load config file '" + cf.value() + "': " + e.getMessage() + elsewhere(baseDir, cf.value()));
            }
            jp.fileWarnings(cf, fileWarnings);
            jp.originalLayout(name, cf, loaded, typed);
            for (Map.Entry<String, ConfigFiles.Entry> e : loaded.entrySet()) {
                String key = e.getKey();
                try {
                    jp.validateKey(key, cf.pos());
                } catch (SqlException ex) {
                    throw new SqlException(cf.pos(), ex.getMessage() + " (in config file " + e.getValue() + ")");
                }
                String origin = "config_file " + e.getValue() + (e.getValue().foreignKey() != null ? " as '" + e.getValue().foreignKey() + "'" : "");
                jp.settings.putIfAbsent(key, new Setting(key, e.getValue().value(), origin, cf.pos()));
            }
        }
        for (Setting s : typed.values()) {
            jp.settings.put(s.key(), s);
        }
        for (Setting s : jp.settings.values()) {
            jp.validateValue(s);
        }
        jp.checkStrategyKeys();
        jp.addDefaults();
        return jp;
    }

    private final List<String> warnings = new ArrayList<>();

    /** What Velo does instead of properties written for the original engine, one line each ("line:col: warning: text"). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Adds a line to {@link #warnings()} (the planner's notes on what it read from the original's layout). */
    public void note(Pos pos, String text) {
        warn(pos, text);
    }

    private void warn(Pos pos, String text) {
        String line = (pos.equals(Pos.NONE) ? "" : pos + ": ") + "warning: " + text;
        if (!warnings.contains(line)) {
            warnings.add(line);
        }
    }

    /**
     * A property as Velo reads it: itself, its Velo form when it was written for the original engine
     * ({@link ForeignProperties#sql}), or null when Velo has no such setting (a warning says what it
     * does instead).
     */
    private Statement.Property foreign(Statement.Property p) {
        String key = p.key();
        if (key.equalsIgnoreCase("config_file") && !connectorNames.isEmpty()) {
            // the original's CTAS files configure the query's source with a bare 'config_file'
            String source = connectorNames.iterator().next();
            warn(p.keyPos(), "'config_file' names no source: read as '" + source + ".config_file', the config of the query's source");
            return new Statement.Property(p.keyPos(), source + ".config_file", p.valuePos(), p.value());
        }
        int dot = key.indexOf('.');
        if (dot > 0 && connectorNames.contains(key.substring(0, dot).toLowerCase(Locale.ROOT)) && PropertyCatalog.jobKey(key) == null) {
            ForeignProperties.Translation t = ForeignProperties.sqlValue(key.substring(dot + 1), p.value());
            if (t == null) {
                return p;
            }
            warn(p.valuePos(), "'" + key + "' = '" + p.value() + "': " + t.warning());
            return new Statement.Property(p.keyPos(), key, p.valuePos(), t.value());
        }
        if (PropertyCatalog.jobKey(key) != null) {
            ForeignProperties.Translation t = ForeignProperties.sqlJobValue(key, p.value());
            if (t == null) {
                return p;
            }
            warn(p.valuePos(), "'" + key + "' = '" + p.value() + "': " + t.warning());
            return new Statement.Property(p.keyPos(), key, p.valuePos(), t.value());
        }
        ForeignProperties.Translation t = ForeignProperties.sql(key, p.value());
        if (t == null) {
            return p;
        }
        if (t.warning() != null) {
            warn(p.keyPos(), "'" + key + "': " + t.warning());
        }
        return t.key() == null ? null : new Statement.Property(p.keyPos(), t.key(), p.valuePos(), t.value());
    }

    /**
     * For a config file that is not where the SQL file's directory puts it: the relative path that
     * does name it, found from a parent directory (scripts written to run from another directory).
     */
    public static String elsewhere(Path baseDir, String written) {
        Path rel = Path.of(written);
        if (rel.isAbsolute() || java.nio.file.Files.isRegularFile(baseDir.resolve(rel))) {
            return "";
        }
        Path dir = baseDir.toAbsolutePath().normalize();
        String up = "";
        for (int i = 0; i < 3 && dir.getParent() != null; i++) {
            dir = dir.getParent();
            up += "../";
            if (java.nio.file.Files.isRegularFile(dir.resolve(rel))) {
                return " (paths are relative to the SQL file's directory; the file is at '" + Path.of(up).resolve(rel).normalize() + "', as if run from " + dir + ")";
            }
        }
        return " (paths are relative to the SQL file's directory)";
    }

    /** The warnings of one config file: keys with the same warning are named on one line. */
    private void fileWarnings(Setting cf, List<ConfigFiles.Entry> found) {
        Map<String, List<String>> byText = new LinkedHashMap<>();
        for (ConfigFiles.Entry w : found) {
            String text = w.value();
            int k = text.lastIndexOf(" ('");
            String reason = k > 0 && text.endsWith("')") ? text.substring(0, k) : text;
            String where = w.file() + ":" + w.line() + (k > 0 && text.endsWith("')") ? " " + text.substring(k + 2, text.length() - 1) : "");
            String group = w.file() + "\n" + reason;
            byText.computeIfAbsent(group, x -> new ArrayList<>()).add(where);
        }
        for (Map.Entry<String, List<String>> e : byText.entrySet()) {
            String reason = e.getKey().substring(e.getKey().indexOf("\n") + 1);
            List<String> at = e.getValue();
            String first = at.get(0);
            String more = at.size() > 1 ? " and " + (at.size() - 1) + " more" : "";
            warn(cf.pos(), first + more + ": " + reason);
        }
    }

    /**
     * What the original's config layout says beyond plain properties: the kind of connector a file
     * describes ({@code datasource.type: kafka}) and a table's column list ({@code schema.fields}).
     */
    private void originalLayout(String name, Setting cf, Map<String, ConfigFiles.Entry> loaded, Map<String, Setting> typed) {
        ConfigFiles.Entry familyEntry = loaded.remove(name + ".original.family");
        ConfigFiles.Entry fields = loaded.remove(name + ".original.schema.fields");
        Setting type = typed.get(name + ".type");
        String familyValue = familyEntry == null ? null : familyEntry.value();
        String side = familyValue != null && familyValue.contains("|") ? familyValue.substring(familyValue.indexOf('|') + 1) : null;
        ConfigFiles.Entry family = familyEntry == null ? null
                : new ConfigFiles.Entry(familyValue.contains("|") ? familyValue.substring(0, familyValue.indexOf('|')) : familyValue,
                        familyEntry.file(), familyEntry.line());
        if (family != null && type == null && !loaded.containsKey(name + ".type") && side != null
                && (family.value().startsWith("kafka") || family.value().startsWith("file"))) {
            // the config file names the connector (data_source: {type: file}): its Velo type, when the SQL names none
            String inferred = (family.value().startsWith("kafka") ? "kafka_" : "file_") + side;
            loaded.put(name + ".type", new ConfigFiles.Entry(inferred, family.file(), family.line()));
            warn(cf.pos(), "'" + name + ".type' is not set: read as " + inferred + ", the " + family.value() + " " + side
                    + " its config file describes (type at " + family + ")");
        }
        if (family != null && type != null) {
            String kind = type.value().trim().toLowerCase(Locale.ROOT);
            boolean kafka = family.value().startsWith("kafka");
            boolean file = family.value().startsWith("file");
            boolean says = kind.startsWith("kafka") ? kafka : !kind.startsWith("file") || file;
            if (!says) {
                String hasPath = loaded.containsKey(name + ".path") || typed.containsKey(name + ".path") ? null : "";
                String msg = "'" + name + "' is a " + kind + " (" + type.origin() + ") but its config file '" + cf.value() + "' describes a "
                        + family.value() + " connector (type at " + family + ")";
                if (hasPath != null && kind.startsWith("file")) {
                    throw new SqlException(cf.pos(), msg + " and gives no file path: set '" + name + ".path' or point 'config_file' at a file table's config");
                }
                warn(cf.pos(), msg + ": read as the " + kind + " the statement names");
            }
        }
        if (fields != null && !typed.containsKey(name + ".schema") && !loaded.containsKey(name + ".schema")) {
            try {
                List<String> notes = new ArrayList<>();
                loaded.put(name + ".schema", new ConfigFiles.Entry(OriginalSchema.columns(fields.value(), notes), fields.file(), fields.line()));
                for (String n : notes) {
                    warn(cf.pos(), "config file " + fields + ": schema.fields: " + n);
                }
            } catch (IllegalArgumentException e) {
                throw new SqlException(cf.pos(), "config file " + fields + ": schema.fields: " + e.getMessage());
            }
        }
    }

    /** A key as written in a config file of {@code name}: bare connector keys belong to that connector. */
    private String fileKey(String name, String written) {
        String key = canonical(written);
        if (PropertyCatalog.jobKey(key) != null || key.startsWith(name + ".")) {
            return key;
        }
        return name + "." + key;
    }

    /** The stored form of a key: a source or sink name prefix in lower case, everything else as written. */
    private String canonical(String key) {
        if (PropertyCatalog.jobKey(key) != null) {
            return key;
        }
        int dot = key.indexOf('.');
        if (dot > 0) {
            String name = key.substring(0, dot).toLowerCase(Locale.ROOT);
            if (connectorNames.contains(name)) {
                return name + key.substring(dot);
            }
        }
        return key;
    }

    /**
     * Validates one command-line override on its own, before any statement is planned: the key must be
     * a job key or {@code <name>.<connector key>}, and the value must fit the key's type. Whether
     * {@code <name>} is a source or sink of the script is known only once the script is planned.
     */
    public static void validateOverride(Statement.Property p) {
        JobProperties jp = new JobProperties(Set.of());
        PropertyDef d = PropertyCatalog.jobKey(p.key());
        int dot = p.key().indexOf('.');
        if (d == null && dot > 0) {
            d = PropertyCatalog.connectorKey(p.key().substring(dot + 1));
        }
        if (d == null) {
            jp.validateKey(p.key(), p.keyPos());
        }
        jp.validateValue(new Setting(p.key(), p.value(), OVERRIDE, p.valuePos(), p.keyPos()));
    }

    /**
     * Why an override that no job of the script kept does nothing: a name that is no source or sink, a
     * batch key of a strategy no job uses, or a script without jobs.
     */
    public static SqlException unusedOverride(Statement.Property p, Set<String> scriptNames, Set<String> strategies) {
        String key = p.key();
        PropertyDef d = PropertyCatalog.jobKey(key);
        if (d == null) {
            String name = key.substring(0, key.indexOf('.'));
            List<String> names = new ArrayList<>();
            for (String n : scriptNames) {
                PropertyCatalog.connectorKeys().forEach(c -> names.add(n + "." + c.key()));
            }
            String hint = PropertyCatalog.suggest(key, names);
            return new SqlException(p.keyPos(), "'" + name + "' is not a source or sink of any job in this script"
                    + (hint != null ? " (did you mean '" + hint + "'?)" : ""));
        }
        if (d.strategy() != null && !strategies.isEmpty()) {
            return new SqlException(p.keyPos(), "property '" + key + "' belongs to batch.strategy '" + d.strategy()
                    + "' but no job of this script uses it (they use " + String.join(", ", strategies) + ")");
        }
        return new SqlException(p.keyPos(), "no job in this script reads property '" + key + "'");
    }

    private void validateKey(String key, Pos pos) {
        if (PropertyCatalog.jobKey(key) != null) {
            return;
        }
        int dot = key.indexOf('.');
        if (dot > 0) {
            String name = key.substring(0, dot).toLowerCase(Locale.ROOT);
            String rest = key.substring(dot + 1);
            if (connectorNames.contains(name)) {
                if (PropertyCatalog.connectorKey(rest) != null) {
                    return;
                }
                List<String> names = new ArrayList<>();
                PropertyCatalog.connectorKeys().forEach(d -> names.add(d.key()));
                String hint = PropertyCatalog.suggest(rest, names);
                throw new SqlException(pos, "unknown property '" + key + "' for '" + key.substring(0, dot) + "'"
                        + (hint != null ? " (did you mean '" + key.substring(0, dot) + "." + hint + "'?)" : ""));
            }
        }
        List<String> names = new ArrayList<>(PropertyCatalog.allJobKeyNames());
        for (String side : new String[] {"source.", "sink."}) {
            if (key.startsWith(side)) {
                PropertyCatalog.allJobKeyNames().stream().filter(k -> PropertyCatalog.jobKey(side + k) != null).forEach(k -> names.add(side + k));
            }
        }
        for (String n : connectorNames) {
            PropertyCatalog.connectorKeys().forEach(d -> names.add(n + "." + d.key()));
        }
        if (pos.isArgument() && dot > 0) {
            // an override's name is checked against the script later; here any name may prefix a connector key
            PropertyCatalog.connectorKeys().forEach(d -> names.add(key.substring(0, dot) + "." + d.key()));
        }
        String hint = PropertyCatalog.suggest(key, names);
        throw new SqlException(pos, "unknown property '" + key + "'"
                + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                + (hint == null && dot > 0 && !pos.isArgument() && !connectorNames.contains(key.substring(0, dot).toLowerCase(Locale.ROOT))
                    ? "; '" + key.substring(0, dot) + "' is not a source or sink of this statement" : ""));
    }

    private PropertyDef defOf(String key) {
        PropertyDef d = PropertyCatalog.jobKey(key);
        if (d != null) {
            return d;
        }
        int dot = key.indexOf('.');
        return dot > 0 ? PropertyCatalog.connectorKey(key.substring(dot + 1)) : null;
    }

    private void validateValue(Setting s) {
        PropertyDef d = defOf(s.key());
        if (d == null) {
            return;
        }
        String err = d.type().check(s.value(), d.choices());
        if (err != null) {
            throw new SqlException(s.pos(), "property '" + s.key() + "' " + err + fromFile(s));
        }
    }

    /** Where a setting read from a config file was written (its SQL position is the config_file property). */
    private static String fromFile(Setting s) {
        return s.origin().startsWith("config_file ") ? " (in config file " + s.origin().substring("config_file ".length()) + ")" : "";
    }

    /** How firmly an origin binds: a strategy chosen by a firmer layer makes a weaker layer's batch keys not apply. */
    private static int rank(String origin) {
        if (origin.equals(OVERRIDE)) {
            return 4;
        }
        if (origin.startsWith("WITH")) {
            return 3;
        }
        if (origin.startsWith("declared") || origin.startsWith("output of")) {
            return 2;
        }
        return origin.startsWith("config_file") ? 1 : 0;
    }

    /**
     * A batch key of another strategy than the effective one is an error where it was given at the
     * level that chose the strategy (or above it): it contradicts that choice. Given below it (a source
     * declaration or a config file whose strategy the statement overrode) it no longer applies and is
     * dropped. An override is dropped from the jobs of another strategy: one {@code --set} serves every
     * job of the script, and one that no job keeps is rejected once the script is planned.
     */
    private void checkStrategyKeys() {
        for (String side : new String[] {"", "source.", "sink."}) {
            Setting st = settings.get(side + "batch.strategy");
            if (st == null && !side.isEmpty()) {
                st = settings.get("batch.strategy");
            }
            String strategy = st == null ? "fixed_size" : st.value().trim().toLowerCase(Locale.ROOT);
            int strategyRank = st == null ? 0 : rank(st.origin());
            List<String> inapplicable = new ArrayList<>();
            for (Setting s : settings.values()) {
                if (!s.key().startsWith(side + "batch.")) {
                    continue;
                }
                String bare = s.key().substring(side.length());
                PropertyDef d = PropertyCatalog.jobKey(bare);
                if (d != null && d.strategy() != null && !d.strategy().equals(strategy)) {
                    if (s.origin().equals(OVERRIDE) || rank(s.origin()) < strategyRank) {
                        inapplicable.add(s.key());
                        continue;
                    }
                    throw new SqlException(s.keyPos(), "property '" + s.key() + "' belongs to batch.strategy '" + d.strategy()
                            + "' but this job uses '" + strategy + "'" + fromFile(s));
                }
            }
            inapplicable.forEach(settings::remove);
        }
    }

    private void addDefaults() {
        String strategy = get("batch.strategy", "fixed_size").toLowerCase(Locale.ROOT);
        for (PropertyDef d : PropertyCatalog.jobKeys()) {
            if (d.defaultValue() == null || settings.containsKey(d.key())) {
                continue;
            }
            if (d.strategy() != null && !d.strategy().equals(strategy)) {
                continue;
            }
            settings.put(d.key(), new Setting(d.key(), d.defaultValue(), "default", Pos.NONE));
        }
    }

    /**
     * Rejects keys of {@code name} that its connector kind does not read ('t.path' on a Kafka source,
     * 'o.partitions' on a file sink): a key nothing reads would silently do nothing.
     */
    public void checkConnectorKind(String name, String kind) {
        String prefix = name.toLowerCase(Locale.ROOT) + ".";
        List<String> dropped = new ArrayList<>();
        for (Setting s : settings.values()) {
            if (!s.key().startsWith(prefix) || s.origin().equals("default")) {
                continue;
            }
            String rest = s.key().substring(prefix.length());
            if (rest.equals("type") || rest.equals("config_file")) {
                continue;
            }
            if (!PropertyCatalog.kindsReading(rest).contains(kind) && s.origin().startsWith("config_file ") && s.origin().endsWith("'")) {
                // written in the original engine's layout, whose shared files describe several kinds of connector
                warn(s.pos(), s.origin().substring("config_file ".length()) + ": not read by a " + kind + " (it is read by "
                        + String.join(", ", PropertyCatalog.kindsReading(rest)) + ")");
                dropped.add(s.key());
                continue;
            }
            if (!PropertyCatalog.kindsReading(rest).contains(kind)) {
                throw new SqlException(s.keyPos(), "property '" + s.key() + "' does not apply to '" + name + "', a " + kind
                        + " (it is read by " + String.join(", ", PropertyCatalog.kindsReading(rest)) + ")");
            }
        }
        dropped.forEach(settings::remove);
    }

    /** Adds per-connector defaults (after the connector kinds are known). */
    public void addConnectorDefaults(String name, Collection<String> keys) {
        for (String k : keys) {
            PropertyDef d = PropertyCatalog.connectorKey(k);
            String full = name.toLowerCase(Locale.ROOT) + "." + k;
            if (d != null && d.defaultValue() != null && !settings.containsKey(full)) {
                settings.put(full, new Setting(full, d.defaultValue(), "default", Pos.NONE));
            }
        }
    }

    /** Adds a value the plan implies where nothing was set ({@code origin} says why). */
    public void imply(String key, String value, String origin) {
        key = canonical(key);
        settings.putIfAbsent(key, new Setting(key, value, origin, Pos.NONE));
    }

    /** Adds a value suggested by the batch strategy where nothing was set. */
    public void suggest(String key, String value, String why) {
        key = canonical(key);
        settings.putIfAbsent(key, new Setting(key, value, "suggested by " + why, Pos.NONE));
    }

    public Setting setting(String key) {
        return settings.get(canonical(key));
    }

    public String get(String key, String fallback) {
        Setting s = settings.get(canonical(key));
        return s == null ? fallback : s.value().trim();
    }

    public String get(String key) {
        return get(key, null);
    }

    /** A side-scoped key ({@code source.x} / {@code sink.x}) falling back to the unscoped one. */
    public String scoped(String side, String key, String fallback) {
        Setting s = settings.get(side + "." + key);
        if (s != null && !s.origin().equals("default")) {
            return s.value().trim();
        }
        return get(key, fallback);
    }

    public long millis(String key, long fallback) {
        String v = get(key);
        return v == null ? fallback : Durations.parseMillis(v);
    }

    public boolean bool(String key, boolean fallback) {
        String v = get(key);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    public long number(String key, long fallback) {
        String v = get(key);
        return v == null ? fallback : Long.parseLong(v);
    }

    public Pos pos(String key) {
        Setting s = settings.get(canonical(key));
        return s == null ? Pos.NONE : s.pos();
    }

    public Collection<Setting> all() {
        return settings.values();
    }
}
