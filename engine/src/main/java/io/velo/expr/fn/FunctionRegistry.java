package io.velo.expr.fn;

import io.velo.types.DataType;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every function of SPEC §3, registered once per family (math, string, time, conditional, aggregate):
 * arity, result type and implementation. Unknown names and wrong arities are found at validation
 * time, before a job starts. {@code SHOW FUNCTIONS} lists {@link #all()}: each function once, under
 * its own name (aliases resolve through {@link #lookup} but are not listed again).
 */
public final class FunctionRegistry {
    private static final Map<String, FunctionDef> FUNCTIONS = new TreeMap<>();
    private static final Map<String, String> ALIASES = new TreeMap<>();

    static {
        MathFunctions.registerAll();
        StringFunctions.registerAll();
        TimeFunctions.registerAll();
        ConditionalFunctions.registerAll();
        AggregateFunctions.registerAll();
    }

    private FunctionRegistry() {
    }

    public static FunctionDef lookup(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        FunctionDef def = FUNCTIONS.get(upper);
        return def != null ? def : FUNCTIONS.get(ALIASES.getOrDefault(upper, ""));
    }

    /** Every function once, by name. */
    public static Collection<FunctionDef> all() {
        return Collections.unmodifiableCollection(FUNCTIONS.values());
    }

    /** Alias → the name of the function it stands for. */
    public static Map<String, String> aliases() {
        return Collections.unmodifiableMap(ALIASES);
    }

    /** The common type of several values (for COALESCE, CASE, LEAST…); throws when there is none. */
    public static DataType commonType(List<DataType> types, String what) {
        return FunctionSupport.commonType(types, what);
    }

    public static DataType commonType(DataType a, DataType b, String what) {
        return FunctionSupport.commonType(a, b, what);
    }

    /**
     * The type of a value chosen among several (CASE, COALESCE, IF, GREATEST…): their common type,
     * and for decimals of fixed scales DECIMAL(p, largest scale), so every row has one scale.
     */
    public static DataType valueType(List<DataType> types, String what) {
        return FunctionSupport.valueType(types, what);
    }

    /** The type of a decimal literal: DECIMAL(p, s) of its digits ({@code 1.25} is DECIMAL(3,2)). */
    public static DataType literalType(java.math.BigDecimal value) {
        return FunctionSupport.literalType(value);
    }

    static void put(String name, FunctionDef def) {
        if (FUNCTIONS.putIfAbsent(name, def) != null || ALIASES.containsKey(name)) {
            throw new IllegalStateException("function " + name + " registered twice");
        }
    }

    static void putAlias(String alias, String name) {
        if (!FUNCTIONS.containsKey(name) || FUNCTIONS.containsKey(alias) || ALIASES.putIfAbsent(alias, name) != null) {
            throw new IllegalStateException("bad alias " + alias + " for " + name);
        }
    }
}
