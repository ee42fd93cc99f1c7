package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** Aggregate and analytic functions (their implementations live in exec/agg; here only names, arities and docs). */
final class AggregateFunctions {
    private AggregateFunctions() {
    }

    static void registerAll() {
        // aggregates ----------------------------------------------------
        aggregate("COUNT", 0, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "COUNT(*), COUNT(x), COUNT(DISTINCT x)");
        aggregate("SUM", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "sum; exact for decimals");
        aggregate("AVG", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "mean; exact sum / count for decimals");
        aggregate("MIN", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "minimum, same type");
        aggregate("MAX", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "maximum, same type");
        aggregate("FIRST_VALUE", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "first value in arrival order");
        aggregate("LAST_VALUE", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "last value in arrival order");
        aggregate("STDDEV", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "sample standard deviation");
        register(new FunctionDef("STDDEV_SAMP", FunctionKind.AGGREGATE_OR_ANALYTIC, 1, 1, null, null, false, true, "sample standard deviation"));
        aggregate("STDDEV_POP", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "population standard deviation");
        aggregate("VARIANCE", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "sample variance");
        register(new FunctionDef("VAR_SAMP", FunctionKind.AGGREGATE_OR_ANALYTIC, 1, 1, null, null, false, true, "sample variance"));
        aggregate("VAR_POP", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "population variance");
        aggregate("MEDIAN", 1, 1, FunctionKind.AGGREGATE, "median (continuous)");
        aggregate("PERCENTILE_CONT", 2, 2, FunctionKind.AGGREGATE, "PERCENTILE_CONT(x, fraction), interpolated");
        aggregate("PERCENTILE_DISC", 2, 2, FunctionKind.AGGREGATE, "PERCENTILE_DISC(x, fraction), an input value");
        aggregate("APPROX_COUNT_DISTINCT", 1, 1, FunctionKind.AGGREGATE, "HyperLogLog distinct count (about 1.6% error)");
        aggregate("STRING_AGG", 1, 2, FunctionKind.AGGREGATE, "STRING_AGG(x [, separator]) in arrival order");
        aggregate("LISTAGG", 1, 2, FunctionKind.AGGREGATE, "LISTAGG(x [, separator]) in arrival order");

        // analytic -------------------------------------------------------
        aggregate("LAG", 1, 3, FunctionKind.ANALYTIC, "LAG(x [, offset [, default]]) OVER (…)");
        aggregate("LEAD", 1, 3, FunctionKind.ANALYTIC, "LEAD(x [, offset [, default]]) OVER (…)");
        aggregate("ROW_NUMBER", 0, 0, FunctionKind.ANALYTIC, "row number within the partition");
        aggregate("RANK", 0, 0, FunctionKind.ANALYTIC, "rank with gaps");
        aggregate("DENSE_RANK", 0, 0, FunctionKind.ANALYTIC, "rank without gaps");
        aggregate("PERCENT_RANK", 0, 0, FunctionKind.ANALYTIC, "(rank - 1) / (rows - 1) among the rows of a ROWS WINDOW BUFFER, as DOUBLE");
    }
}
