package io.velo.expr.eval;

import io.velo.batch.RecordBatch;

/**
 * A long left-associative chain such as {@code a + b - c + …} (10,000 terms from a SQL generator),
 * evaluated left to right with a loop instead of 10,000 levels of recursion. Each step is the
 * ordinary binary evaluator the compiler would have built, with the same types, casts, overflow
 * checks and decimal scale rules; its left operand is a {@link Slot} holding the previous step's
 * result. Left-to-right order is kept (not a balanced tree) because {@code a - b - c}, BIGINT
 * overflow of a partial sum and decimal rounding all depend on it.
 */
public final class ChainEval extends Eval {
    private final Eval first;
    private final Eval[] steps;

    /**
     * @param first the chain's first operand
     * @param steps binary evaluators, each reading the one before it (or {@code first}) through a Slot
     */
    public ChainEval(Eval first, Eval[] steps) {
        super(steps[steps.length - 1].type);
        this.first = first;
        this.steps = steps;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        first.eval(b, row);
        for (Eval s : steps) {
            s.eval(b, row);
        }
        copyFrom(steps[steps.length - 1]);
    }

    /**
     * Stands in for an already evaluated operand: evaluating it copies that operand's registers and
     * evaluates nothing, so a step never recurses into the steps before it.
     */
    public static final class Slot extends Eval {
        private final Eval source;

        public Slot(Eval source) {
            super(source.type);
            this.source = source;
        }

        @Override
        public void eval(RecordBatch b, int row) {
            copyFrom(source);
        }
    }
}
