package io.velo.plan;

import io.velo.exec.agg.Aggregator;
import io.velo.exec.agg.BasicAggregators;
import io.velo.exec.agg.DistinctAggregators;
import io.velo.exec.agg.StatisticalAggregators;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.Eval;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.types.DataType;
import io.velo.types.decimal.DecimalRounding;

/** Creates the aggregator for an aggregate call, checking its argument types. */
final class Aggregates {
    private Aggregates() {
    }

    static Aggregator create(Expr.Call c, Eval arg, DecimalRounding rounding, ExprCompiler compiler) {
        String name = c.name();
        if (c.distinct() && !name.equals("COUNT")) {
            throw new SqlException(c.pos(), "DISTINCT is supported in COUNT(DISTINCT x) only");
        }
        if (c.star() && !name.equals("COUNT")) {
            throw new SqlException(c.pos(), name + "(*) is not valid; only COUNT(*)");
        }
        DataType t = arg == null ? null : arg.type;
        switch (name) {
            case "COUNT":
                if (c.distinct()) {
                    return new DistinctAggregators.CountDistinct(t);
                }
                if (!c.star() && c.args().isEmpty()) {
                    throw new SqlException(c.pos(), "COUNT needs * or an argument");
                }
                return new BasicAggregators.Count(c.star());
            case "SUM": case "AVG":
                numeric(c, t);
                return new BasicAggregators.SumAvg(name.equals("AVG"), t, rounding);
            case "MIN": case "MAX":
                if (t.kind == DataType.Kind.ARRAY || t.kind == DataType.Kind.MAP) {
                    throw new SqlException(c.pos(), name + " cannot compare " + t);
                }
                return new BasicAggregators.MinMax(name.equals("MIN"), t);
            case "FIRST_VALUE": case "LAST_VALUE":
                return new BasicAggregators.FirstLast(name.equals("FIRST_VALUE"), t);
            case "STDDEV": case "STDDEV_SAMP": case "STDDEV_POP": case "VARIANCE": case "VAR_SAMP": case "VAR_POP":
                numeric(c, t);
                return new StatisticalAggregators.Variance(!name.endsWith("_POP"), name.startsWith("STDDEV"), t, rounding);
            case "MEDIAN":
                numeric(c, t);
                return new StatisticalAggregators.Percentile(0.5, true, t, rounding);
            case "PERCENTILE_CONT": case "PERCENTILE_DISC": {
                if (!name.equals("PERCENTILE_DISC")) {
                    numeric(c, t);
                }
                double f = constantFraction(c, compiler);
                return new StatisticalAggregators.Percentile(f, name.equals("PERCENTILE_CONT"), t, rounding);
            }
            case "APPROX_COUNT_DISTINCT":
                return new DistinctAggregators.ApproxCountDistinct();
            case "STRING_AGG": case "LISTAGG": {
                String sep = ",";
                if (c.args().size() > 1) {
                    Eval s = compiler.compile(c.args().get(1));
                    if (!s.isConstant() || s.type.kind != DataType.Kind.STRING) {
                        throw new SqlException(c.args().get(1).pos(), name + " separator must be a constant string");
                    }
                    s.eval(null, 0);
                    sep = s.isNull ? "" : (String) s.o;
                }
                return new DistinctAggregators.StringAgg(sep);
            }
            default:
                throw new SqlException(c.pos(), "unknown aggregate " + name);
        }
    }

    private static void numeric(Expr.Call c, DataType t) {
        if (t == null || !t.isNumeric()) {
            throw new SqlException(c.pos(), c.name() + " expects a number, got " + t);
        }
    }

    private static double constantFraction(Expr.Call c, ExprCompiler compiler) {
        Eval f = compiler.compile(c.args().get(1));
        if (!f.isConstant() || !f.type.isNumeric()) {
            throw new SqlException(c.args().get(1).pos(), c.name() + " fraction must be a constant between 0 and 1");
        }
        f.eval(null, 0);
        double v = f.type.kind == DataType.Kind.DOUBLE ? f.d : f.type.kind == DataType.Kind.BIGINT ? f.l : f.dec.toBigDecimal().doubleValue();
        if (v < 0 || v > 1) {
            throw new SqlException(c.args().get(1).pos(), c.name() + " fraction must be between 0 and 1, got " + v);
        }
        return v;
    }
}
