package io.velo.expr.fn;

import io.velo.expr.eval.FunctionEval;

/**
 * Binds one call of a function to its implementation, once, when the query is compiled (at
 * {@code check} time). This is where a function looks at its argument types (a DATE is days, a
 * TIMESTAMP milliseconds) and at its constant arguments — a DATE_TRUNC unit, an EXTRACT part, a
 * format pattern, a regular expression, a JSON path — validating them with
 * {@link CallSite#reject} and compiling them once instead of per record.
 */
@FunctionalInterface
public interface Binder {
    FunctionEval.Impl bind(CallSite site);
}
