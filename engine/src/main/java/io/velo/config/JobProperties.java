package io.velo.config;

import io.velo.sql.SqlException;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The effective properties of one job, each with its origin. Precedence: typed in the statement's
 * WITH, then the source's declaration, then config files, then batch-strategy suggestions, then
 * defaults. Unknown keys and bad values are SQL errors at their position, found before the job runs.
 */
public final class JobProperties {
    private final Map<String, Setting> settings = new TreeMap<>();
    private final Set<String> connectorNames;

    private JobProperties(Set<String> connectorNames) {
        this.connectorNames = connectorNames;
    }

    /**
     * @param layers property lists from lowest to highest precedence, each with an origin label
     * @param connectorNames the source and sink names this job uses (lower case)
     * @param baseDir directory that relative config_file paths resolve against
     */
    public static JobProperties resolve(List<Map.Entry<String, List<Statement.Property>>> layers,
                                        Set<String> connectorNames, Path baseDir) {
        JobProperties jp = new JobProperties(connectorNames);
        Map<String, Setting> typed = new LinkedHashMap<>();
        for (Map.Entry<String, List<Statement.Property>> layer : layers) {
            for (Statement.Property p : layer.getValue()) {
                String key = p.key();
                jp.validateKey(key, p.keyPos());
                typed.put(key, new Setting(key, p.value(), layer.getKey() + " " + p.keyPos(), p.valuePos(), p.keyPos()));
            }
        }
        // config files: lower precedence than anything typed in SQL
        for (String name : connectorNames) {
            Setting cf = typed.get(name + ".config_file");
            if (cf == null) {
                continue;
            }
            Map<String, String> loaded;
            try {
                loaded = ConfigFiles.load(baseDir.resolve(cf.value()));
            } catch (IOException | RuntimeException e) {
                throw new SqlException(cf.pos(), "cannot load config file '" + cf.value() + "': " + e.getMessage());
            }
            for (Map.Entry<String, String> e : loaded.entrySet()) {
                String key = e.getKey().startsWith(name + ".") ? e.getKey() : name + "." + e.getKey();
                if (PropertyCatalog.jobKey(e.getKey()) != null) {
                    key = e.getKey();
                }
                try {
                    jp.validateKey(key, cf.pos());
                } catch (SqlException ex) {
                    throw new SqlException(cf.pos(), ex.getMessage() + " (in config file " + cf.value() + ")");
                }
                jp.settings.putIfAbsent(key, new Setting(key, e.getValue(), "config_file " + cf.value(), cf.pos()));
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
        for (String n : connectorNames) {
            PropertyCatalog.connectorKeys().forEach(d -> names.add(n + "." + d.key()));
        }
        String hint = PropertyCatalog.suggest(key, names);
        throw new SqlException(pos, "unknown property '" + key + "'"
                + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                + (hint == null && dot > 0 && !connectorNames.contains(key.substring(0, dot).toLowerCase(Locale.ROOT))
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
            throw new SqlException(s.pos(), "property '" + s.key() + "' " + err);
        }
    }

    /**
     * A batch key of another strategy than the effective one is an error where it was typed next to
     * the statement; inherited from a source declaration or a config file (whose strategy the statement
     * overrode) it no longer applies and is dropped.
     */
    private void checkStrategyKeys() {
        for (String side : new String[] {"", "source.", "sink."}) {
            Setting st = settings.get(side + "batch.strategy");
            if (st == null && !side.isEmpty()) {
                st = settings.get("batch.strategy");
            }
            String strategy = st == null ? "fixed_size" : st.value().trim().toLowerCase(Locale.ROOT);
            List<String> inherited = new ArrayList<>();
            for (Setting s : settings.values()) {
                if (!s.key().startsWith(side + "batch.")) {
                    continue;
                }
                String bare = s.key().substring(side.length());
                PropertyDef d = PropertyCatalog.jobKey(bare);
                if (d != null && d.strategy() != null && !d.strategy().equals(strategy)) {
                    if (!s.origin().startsWith("WITH")) {
                        inherited.add(s.key());
                        continue;
                    }
                    throw new SqlException(s.keyPos(), "property '" + s.key() + "' belongs to batch.strategy '" + d.strategy()
                            + "' but this job uses '" + strategy + "'");
                }
            }
            inherited.forEach(settings::remove);
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
        String prefix = name + ".";
        for (Setting s : settings.values()) {
            if (!s.key().startsWith(prefix) || s.origin().equals("default")) {
                continue;
            }
            String rest = s.key().substring(prefix.length());
            if (rest.equals("type") || rest.equals("config_file")) {
                continue;
            }
            if (!PropertyCatalog.kindsReading(rest).contains(kind)) {
                throw new SqlException(s.keyPos(), "property '" + s.key() + "' does not apply to '" + name + "', a " + kind
                        + " (it is read by " + String.join(", ", PropertyCatalog.kindsReading(rest)) + ")");
            }
        }
    }

    /** Adds per-connector defaults (after the connector kinds are known). */
    public void addConnectorDefaults(String name, Collection<String> keys) {
        for (String k : keys) {
            PropertyDef d = PropertyCatalog.connectorKey(k);
            String full = name + "." + k;
            if (d != null && d.defaultValue() != null && !settings.containsKey(full)) {
                settings.put(full, new Setting(full, d.defaultValue(), "default", Pos.NONE));
            }
        }
    }

    /** Adds a value suggested by the batch strategy where nothing was set. */
    public void suggest(String key, String value, String why) {
        settings.putIfAbsent(key, new Setting(key, value, "suggested by " + why, Pos.NONE));
    }

    public Setting setting(String key) {
        return settings.get(key);
    }

    public String get(String key, String fallback) {
        Setting s = settings.get(key);
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
        Setting s = settings.get(key);
        return s == null ? Pos.NONE : s.pos();
    }

    public Collection<Setting> all() {
        return settings.values();
    }
}
