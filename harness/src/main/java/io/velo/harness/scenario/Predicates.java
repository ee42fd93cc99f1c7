package io.velo.harness.scenario;

import io.velo.harness.scenario.Scenario.Condition;
import io.velo.harness.scenario.Scenario.DecimalField;
import io.velo.harness.scenario.Scenario.EnumField;
import io.velo.harness.scenario.Scenario.EventTimeField;
import io.velo.harness.scenario.Scenario.Field;
import io.velo.harness.scenario.Scenario.KeyField;
import io.velo.harness.scenario.Scenario.LongField;
import io.velo.harness.scenario.Scenario.Op;
import io.velo.harness.scenario.Scenario.SequenceField;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code check.where} condition compiled against the generated field's value as {@link RecordGenerator}
 * holds it, a {@code long}: the sequence number, the long value, a decimal's unscaled value at the field's
 * scale, the enum value's index, the key's number, the event time in epoch milliseconds. Comparisons are
 * exact: a decimal threshold with more decimals than the field is compared without rounding.
 */
final class Predicates {
    private Predicates() {
    }

    /** A test on one field's long representation. */
    interface LongPredicate {
        boolean test(long v);
    }

    /** Compiles {@code cond} for {@code field}; IllegalArgumentException explains a value or operator that cannot apply. */
    static LongPredicate compile(Field field, Condition cond) {
        Op op = cond.op();
        if (field instanceof EnumField e) {
            return enumPredicate(e, cond);
        }
        if (field instanceof KeyField k && k.prefix().isPresent()) {
            if (op != Op.EQ && op != Op.NE && op != Op.IN) {
                throw new IllegalArgumentException("operator " + op.symbol() + " does not apply to the string key field '"
                        + field.name() + "' (use =, != or in)");
            }
            long[] keys = (op == Op.IN ? cond.values() : List.of(cond.value())).stream()
                    .mapToLong(v -> keyNumber(k, v)).sorted().toArray();
            return membership(op, keys);
        }
        if (field instanceof DecimalField d) {
            return decimalPredicate(d, cond);
        }
        if (field instanceof SequenceField || field instanceof LongField || field instanceof KeyField
                || field instanceof EventTimeField) {
            boolean time = field instanceof EventTimeField;
            if (op == Op.IN) {
                long[] vs = cond.values().stream().mapToLong(v -> longValue(field, v, time)).sorted().toArray();
                return membership(op, vs);
            }
            long t = longValue(field, cond.value(), time);
            return compare(op, t);
        }
        throw new IllegalArgumentException("check conditions cannot test the " + field.type() + " field '" + field.name() + "'");
    }

    private static LongPredicate compare(Op op, long t) {
        switch (op) {
            case GT: return v -> v > t;
            case GE: return v -> v >= t;
            case LT: return v -> v < t;
            case LE: return v -> v <= t;
            case EQ: return v -> v == t;
            default: return v -> v != t;
        }
    }

    private static LongPredicate membership(Op op, long[] sorted) {
        boolean negate = op == Op.NE;
        return v -> (Arrays.binarySearch(sorted, v) >= 0) != negate;
    }

    private static long longValue(Field field, String text, boolean time) {
        String t = text.trim();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            if (time) {
                try {
                    return Instant.parse(t).toEpochMilli();
                } catch (DateTimeParseException ignored) {
                    // fall through to the message below
                }
            }
            throw new IllegalArgumentException("value '" + text + "' is not " + (time ? "an epoch-millisecond or ISO-8601 time" : "an integer")
                    + " (field '" + field.name() + "' is " + field.type() + ")");
        }
    }

    private static long keyNumber(KeyField k, String text) {
        String prefix = k.prefix().orElse("");
        String rest = text.startsWith(prefix) ? text.substring(prefix.length()) : null;
        long n = -1;
        if (rest != null && rest.matches("0|[1-9][0-9]{0,18}")) {
            try {
                n = Long.parseLong(rest);
            } catch (NumberFormatException ignored) {
                n = -1;
            }
        }
        if (n < 0 || n >= k.cardinality()) {
            throw new IllegalArgumentException("value '" + text + "' is not a key of field '" + k.name() + "' (keys are "
                    + prefix + "0 .. " + prefix + (k.cardinality() - 1) + ")");
        }
        return n;
    }

    private static LongPredicate enumPredicate(EnumField e, Condition cond) {
        Op op = cond.op();
        if (op != Op.EQ && op != Op.NE && op != Op.IN) {
            throw new IllegalArgumentException("operator " + op.symbol() + " does not apply to the enum field '" + e.name()
                    + "' (use =, != or in)");
        }
        List<String> wanted = op == Op.IN ? cond.values() : List.of(cond.value());
        for (String w : wanted) {
            if (!e.values().contains(w)) {
                throw new IllegalArgumentException("'" + w + "' is not a value of the enum field '" + e.name() + "' (values: "
                        + String.join(", ", e.values()) + ")" + ScenarioLoader.didYouMean(w, e.values())
                        .map(s -> "; did you mean '" + s + "'?").orElse(""));
            }
        }
        boolean[] match = new boolean[e.values().size()];
        for (int i = 0; i < match.length; i++) {
            match[i] = wanted.contains(e.values().get(i)) != (op == Op.NE);
        }
        return v -> match[(int) v];
    }

    private static LongPredicate decimalPredicate(DecimalField d, Condition cond) {
        Op op = cond.op();
        if (op == Op.IN) {
            long[] vs = cond.values().stream().map(v -> decimal(d, v)).filter(v -> v.stripTrailingZeros().scale() <= d.scale())
                    .map(v -> v.setScale(d.scale()).unscaledValue()).filter(u -> u.bitLength() < 64)
                    .mapToLong(BigInteger::longValue).sorted().toArray();
            return membership(op, vs);
        }
        BigDecimal t = decimal(d, cond.value());
        BigDecimal floor = t.setScale(d.scale(), RoundingMode.FLOOR);
        boolean exact = floor.compareTo(t) == 0;
        BigInteger u = floor.unscaledValue();
        if (u.bitLength() >= 64) {
            // beyond every value the field can hold: the comparison has the same answer for all of them
            boolean above = u.signum() > 0;
            boolean answer;
            switch (op) {
                case GT: case GE: answer = !above; break;
                case LT: case LE: answer = above; break;
                case EQ: answer = false; break;
                default: answer = true; break;
            }
            return v -> answer;
        }
        long f = u.longValueExact();
        // sign of (v - t) for v at the field's scale: v > floor(t) ⇒ v > t; v == floor(t) ⇒ equal only if t is exact
        switch (op) {
            case GT: return v -> v > f;
            case GE: return v -> v > f || (exact && v == f);
            case LT: return v -> v < f || (!exact && v == f);
            case LE: return v -> v <= f;
            case EQ: return v -> exact && v == f;
            default: return v -> !exact || v != f;
        }
    }

    private static BigDecimal decimal(DecimalField d, String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value '" + text + "' is not a decimal number (field '" + d.name() + "' is decimal)");
        }
    }
}
