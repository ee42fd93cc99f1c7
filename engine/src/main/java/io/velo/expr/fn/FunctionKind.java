package io.velo.expr.fn;

/** Where a function may appear. */
public enum FunctionKind {
    SCALAR, AGGREGATE, ANALYTIC, AGGREGATE_OR_ANALYTIC
}
