package io.velo.exec.join;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.exec.agg.Aggregator;
import io.velo.expr.eval.CompareEval;
import io.velo.expr.eval.ConstEval;
import io.velo.expr.eval.Eval;
import io.velo.expr.eval.PredicateEval;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * A subquery over a keyed table, evaluated for one outer row against the table's current rows
 * ({@link LiveTable}): a scalar subquery {@code (SELECT e FROM t WHERE …)}, {@code v [NOT] IN (SELECT e
 * FROM t WHERE …)} or {@code [NOT] EXISTS (SELECT … FROM t WHERE …)}, with SQL's answers:
 * <ul>
 *   <li>scalar: no row gives NULL, one row its value, more than one row is a record error of the outer
 *       row ({@link RecordError#CARDINALITY_VIOLATION}); with aggregates there is always one row, the
 *       aggregates of the rows that pass WHERE;</li>
 *   <li>IN: FALSE (NOT IN: TRUE) over no rows, whatever {@code v}; else TRUE (FALSE) when a row's value
 *       equals {@code v}; else NULL when {@code v} or a row's value is NULL; else FALSE (TRUE);</li>
 *   <li>EXISTS: whether a row passes WHERE (NOT EXISTS the opposite); never NULL.</li>
 * </ul>
 *
 * <p>The rows a subquery looks at: with {@code lookup} (a conjunct {@code t.key = <outer expression>}
 * of WHERE) only the row of that key, one hash probe; otherwise every current row of the table (a scan,
 * as many row evaluations as the table has keys). An uncorrelated subquery (no outer references)
 * computes its result once per table version and reuses it for every outer row; a correlated one
 * computes it for each outer row. The inner expressions read the table's rows through a view of the
 * table's columns and the outer row's values through {@link OuterRef} registers, set from the outer
 * evaluators before each computation.
 */
public final class TableSubqueryEval extends Eval {
    public enum Form { SCALAR, IN, EXISTS }

    /** A value of the outer row that the subquery's expressions read; set before each computation. */
    public static final class OuterRef extends Eval {
        public OuterRef(DataType type) {
            super(type);
        }

        @Override
        public void eval(RecordBatch batch, int row) {
            // holds what the subquery copied in from the outer row
        }
    }

    /** A register that an aggregate's result is written into, read by the SELECT expression. */
    public static final class Result extends Eval {
        public Result(DataType type) {
            super(type);
        }

        @Override
        public void eval(RecordBatch batch, int row) {
            // holds the aggregate's result
        }
    }

    /** The aggregates of an aggregating subquery: each with its argument (null for COUNT(*)) and its result register. */
    public record Aggregates(Aggregator[] aggregators, Eval[] args, Result[] results) {
    }

    private final Form form;
    private final boolean negated;
    private final LiveTable table;
    private final int[] columns;
    private final RecordBatch view;
    private final Eval[] outer;
    private final OuterRef[] refs;
    private final Eval lookup;
    private final Column lookupKey;
    private final Eval condition;
    private final Eval selected;
    private final Eval probe;
    private final Aggregates aggregates;
    private final String text;
    // an uncorrelated subquery's result for table version cachedVersion
    private long cachedVersion = -1;
    private RecordError cachedError;
    private Eval cachedSet;
    private boolean cachedEmpty;
    private final Eval cachedValue;

    /**
     * @param columns    the table columns the subquery's scope shows, in order (its expressions index them)
     * @param viewSchema the schema of those columns
     * @param outer      the outer row's values the subquery reads, compiled over the outer row
     * @param refs       the registers the subquery's expressions read them from, one per {@code outer}
     * @param lookup     the outer side of {@code t.key = …}, of the key's kind, over {@code refs}; or null to scan
     * @param condition  the rest of WHERE over the table row and {@code refs}, or null
     * @param selected   the SELECT expression (SCALAR, IN; coerced to the compared type for IN), or null
     * @param probe      IN's outer value, over the outer row, of {@code selected}'s type
     * @param aggregates the aggregates {@code selected} reads, or null when the subquery does not aggregate
     * @param text       the subquery as written, for error messages
     */
    public TableSubqueryEval(Form form, boolean negated, LiveTable table, int[] columns, Schema viewSchema, Eval[] outer, OuterRef[] refs,
                             Eval lookup, Eval condition, Eval selected, Eval probe, Aggregates aggregates, String text) {
        super(form == Form.SCALAR ? selected.type : DataType.BOOLEAN);
        this.form = form;
        this.negated = negated;
        this.table = table;
        this.columns = columns.clone();
        this.view = RecordBatch.view(viewSchema);
        this.outer = outer.clone();
        this.refs = refs.clone();
        this.lookup = lookup;
        this.lookupKey = lookup == null ? null : new Column(lookup.type, 1);
        this.condition = condition;
        this.selected = selected;
        this.probe = probe;
        this.aggregates = aggregates;
        this.text = text;
        this.cachedValue = selected == null ? null : new Result(selected.type);
        if (aggregates != null) {
            for (Aggregator a : aggregates.aggregators()) {
                a.ensure(1);
            }
        }
    }

    /** Whether the subquery reads the outer row (and is computed for each one). */
    public boolean correlated() {
        return refs.length > 0;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        for (int i = 0; i < outer.length; i++) {
            outer[i].eval(b, row);
            refs[i].copyFrom(outer[i]);
        }
        if (refs.length == 0) {
            cached(b, row);
            return;
        }
        if (form == Form.IN) {
            probe.eval(b, row);
        }
        compute(true);
    }

    /** The uncorrelated result, computed again when the table changed since. */
    private void cached(RecordBatch b, int row) {
        long v = table.version();
        if (v != cachedVersion) {
            cachedVersion = v;
            cachedError = null;
            try {
                compute(false);
                if (selected != null && form == Form.SCALAR) {
                    cachedValue.copyFrom(this);
                }
            } catch (RecordError e) {
                cachedError = e;
            } catch (ArithmeticException e) {
                cachedError = new RecordError(e.getMessage() != null && e.getMessage().contains("zero") ? RecordError.DIVISION_BY_ZERO
                        : RecordError.NUMERIC_OUT_OF_RANGE, e.getMessage());
            }
        }
        if (cachedError != null) {
            throw cachedError;
        }
        switch (form) {
            case SCALAR:
                copyFrom(cachedValue);
                return;
            case EXISTS:
                return; // compute left the answer in the registers, and nothing changes them in between
            default:
                if (cachedEmpty) {
                    probe.eval(b, row); // its errors are the row's, whatever the table holds
                    isNull = false;
                    l = negated ? 1 : 0;
                } else {
                    cachedSet.eval(b, row);
                    isNull = cachedSet.isNull;
                    l = cachedSet.l;
                }
        }
    }

    /**
     * Computes the result into the registers: for IN, the answer for the probe's value when
     * {@code withProbe}, else the set of values (cached).
     */
    private void compute(boolean withProbe) {
        TableState state = table.state();
        for (int c = 0; c < columns.length; c++) {
            view.columns[c] = state.column(columns[c]);
        }
        int only = -1;
        int n;
        if (lookup != null) {
            lookup.eval(view, 0);
            if (!lookup.isNull) {
                lookup.writeTo(lookupKey, 0);
                only = state.find(lookupKey, 0);
            }
            n = only >= 0 ? 1 : 0;
        } else {
            n = state.slots();
        }
        if (aggregates != null) {
            aggregate(state, only, n, withProbe);
            return;
        }
        int rows = 0;
        boolean sawNull = false;
        List<Eval> values = form == Form.IN && !withProbe ? new ArrayList<>() : null;
        for (int i = 0; i < n; i++) {
            int slot = lookup != null ? only : i;
            if (lookup == null && !state.live(slot)) {
                continue;
            }
            if (condition != null) {
                condition.eval(view, slot);
                if (condition.isNull || condition.l == 0) {
                    continue;
                }
            }
            rows++;
            switch (form) {
                case EXISTS:
                    isNull = false;
                    l = negated ? 0 : 1;
                    return;
                case SCALAR:
                    if (rows > 1) {
                        throw new RecordError(RecordError.CARDINALITY_VIOLATION, "the scalar subquery " + text
                                + " gave more than one row (a scalar subquery gives at most one)");
                    }
                    selected.eval(view, slot);
                    copyFrom(selected);
                    break;
                default:
                    selected.eval(view, slot);
                    if (values != null) {
                        values.add(new ConstEval(selected.type, selected.toObject()));
                    } else if (selected.isNull) {
                        sawNull = true;
                    } else if (!probe.isNull && CompareEval.compareValues(probe, selected, probe.type.kind) == 0) {
                        isNull = false;
                        l = negated ? 0 : 1;
                        return;
                    }
            }
        }
        switch (form) {
            case EXISTS:
                isNull = false;
                l = negated ? 1 : 0;
                return;
            case SCALAR:
                if (rows == 0) {
                    isNull = true;
                }
                return;
            default:
                if (values != null) {
                    cachedEmpty = values.isEmpty();
                    cachedSet = cachedEmpty ? null : PredicateEval.inList(probe, values.toArray(new Eval[0]), negated);
                } else if (rows == 0) {
                    isNull = false;
                    l = negated ? 1 : 0;
                } else if (probe.isNull || sawNull) {
                    isNull = true;
                } else {
                    isNull = false;
                    l = negated ? 1 : 0;
                }
        }
    }

    /** An aggregating subquery: one row, the aggregates of the rows that pass WHERE. */
    private void aggregate(TableState state, int only, int n, boolean withProbe) {
        Aggregator[] aggs = aggregates.aggregators();
        Eval[] args = aggregates.args();
        for (Aggregator a : aggs) {
            a.reset(0);
        }
        for (int i = 0; i < n; i++) {
            int slot = lookup != null ? only : i;
            if (lookup == null && !state.live(slot)) {
                continue;
            }
            if (condition != null) {
                condition.eval(view, slot);
                if (condition.isNull || condition.l == 0) {
                    continue;
                }
            }
            for (int k = 0; k < aggs.length; k++) {
                if (args[k] != null) {
                    args[k].eval(view, slot);
                }
                aggs[k].add(0, args[k]);
            }
        }
        for (int k = 0; k < aggs.length; k++) {
            aggs[k].result(0, aggregates.results()[k]);
        }
        switch (form) {
            case EXISTS:
                isNull = false;
                l = negated ? 0 : 1; // one row, always
                return;
            case SCALAR:
                selected.eval(view, 0);
                copyFrom(selected);
                return;
            default:
                selected.eval(view, 0);
                if (withProbe) {
                    if (probe.isNull || selected.isNull) {
                        isNull = true;
                    } else {
                        isNull = false;
                        boolean eq = CompareEval.compareValues(probe, selected, probe.type.kind) == 0;
                        l = eq != negated ? 1 : 0;
                    }
                } else {
                    cachedEmpty = false;
                    cachedSet = PredicateEval.inList(probe, new Eval[] {new ConstEval(selected.type, selected.toObject())}, negated);
                }
        }
    }
}
