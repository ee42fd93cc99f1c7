package io.velo.expr.fn;

import io.velo.types.DataType;
import java.util.List;
import java.util.function.Function;

/**
 * A registered function: its arity, how its result type follows from its argument types (which
 * throws IllegalArgumentException with a user-facing message on bad types), and for scalars the
 * {@link Binder} that turns one call site into an implementation when the query is compiled.
 */
public record FunctionDef(String name, FunctionKind kind, int minArgs, int maxArgs,
                          Function<List<DataType>, DataType> resultType, Binder binder,
                          boolean strict, boolean deterministic, String doc) {

    public String signature() {
        return name + "(" + (maxArgs == 0 ? "" : minArgs == maxArgs ? minArgs + " args" :
                maxArgs == Integer.MAX_VALUE ? minArgs + "+ args" : minArgs + ".." + maxArgs + " args") + ")";
    }
}
