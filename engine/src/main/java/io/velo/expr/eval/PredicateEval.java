package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import java.util.regex.Pattern;

/** IS NULL, IN (list), LIKE: the predicates that are not plain comparisons. */
public final class PredicateEval {
    private PredicateEval() {
    }

    public static final class IsNull extends Eval {
        private final Eval in;
        private final boolean negated;

        public IsNull(Eval in, boolean negated) {
            super(DataType.BOOLEAN);
            this.in = in;
            this.negated = negated;
        }

        public Eval input() {
            return in;
        }

        public boolean negated() {
            return negated;
        }

        @Override
        public void eval(RecordBatch b, int row) {
            in.eval(b, row);
            isNull = false;
            l = (in.isNull ^ negated) ? 1 : 0;
        }
    }

    /** {@code value [NOT] IN (items)}: hashed when the list is long and constant, scanned otherwise. */
    public static Eval inList(Eval value, Eval[] items, boolean negated) {
        if (items.length >= InSetEval.MIN_ITEMS) {
            InSetEval hashed = InSetEval.of(value, items, negated);
            if (hashed != null) {
                return hashed;
            }
        }
        return new InList(value, items, negated);
    }

    /** value [NOT] IN (a, b, …) with SQL NULL semantics; list items are coerced to the value's type. */
    public static final class InList extends Eval {
        private final Eval value;
        private final Eval[] items;
        private final boolean negated;

        public InList(Eval value, Eval[] items, boolean negated) {
            super(DataType.BOOLEAN);
            this.value = value;
            this.items = items;
            this.negated = negated;
        }

        public Eval value() {
            return value;
        }

        public Eval[] items() {
            return items;
        }

        public boolean negated() {
            return negated;
        }

        @Override
        public void eval(RecordBatch b, int row) {
            value.eval(b, row);
            if (value.isNull) {
                isNull = true;
                return;
            }
            boolean sawNull = false;
            for (Eval item : items) {
                item.eval(b, row);
                if (item.isNull) {
                    sawNull = true;
                } else if (CompareEval.compareValues(value, item, value.type.kind) == 0) {
                    isNull = false;
                    l = negated ? 0 : 1;
                    return;
                }
            }
            if (sawNull) {
                isNull = true;
                return;
            }
            isNull = false;
            l = negated ? 1 : 0;
        }
    }

    /** LIKE with % and _ wildcards; a constant pattern is compiled once. */
    public static final class Like extends Eval {
        private final Eval value;
        private final Eval pattern;
        private final boolean negated;
        private Pattern compiled;
        private String compiledFrom;

        public Like(Eval value, Eval pattern, boolean negated) {
            super(DataType.BOOLEAN);
            this.value = value;
            this.pattern = pattern;
            this.negated = negated;
        }

        @Override
        public void eval(RecordBatch b, int row) {
            value.eval(b, row);
            pattern.eval(b, row);
            if (value.isNull || pattern.isNull) {
                isNull = true;
                return;
            }
            String p = (String) pattern.o;
            if (compiled == null || !p.equals(compiledFrom)) {
                compiled = toRegex(p);
                compiledFrom = p;
            }
            isNull = false;
            l = (compiled.matcher(new BudgetedText((String) value.o, p)).matches() ^ negated) ? 1 : 0;
        }

        public static Pattern toRegex(String like) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < like.length(); i++) {
                char c = like.charAt(i);
                if (c == '%') {
                    sb.append(".*");
                } else if (c == '_') {
                    sb.append('.');
                } else if (c == '\\' && i + 1 < like.length()) {
                    sb.append(Pattern.quote(String.valueOf(like.charAt(++i))));
                } else {
                    sb.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(sb.toString(), Pattern.DOTALL);
        }
    }
}
