package io.velo.expr.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.velo.types.DataType;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hashed IN list against the linear scan it replaces, over random values and lists of every
 * hashable type: the same TRUE / FALSE / NULL for IN and NOT IN, with and without NULL items,
 * decimals of mixed scales and of more than 18 digits, doubles with -0.0 and NaN.
 */
class InSetDifferentialTest {
    private static final DataType[] TYPES = {
        DataType.BIGINT, DataType.TIMESTAMP, DataType.DATE, DataType.BOOLEAN, DataType.DOUBLE, DataType.DECIMAL,
        DataType.decimal(18, 2), DataType.STRING,
    };

    private static Object randomValue(DataType t, SplittableRandom r) {
        if (r.nextInt(25) == 0) {
            return null;
        }
        switch (t.kind) {
            case BIGINT: case TIMESTAMP: case DATE:
                return r.nextInt(8) == 0 ? (r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : (long) r.nextInt(-40, 40);
            case BOOLEAN:
                return r.nextBoolean();
            case DOUBLE: {
                double[] odd = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e-300};
                return r.nextInt(5) == 0 ? odd[r.nextInt(odd.length)] : r.nextInt(-20, 20) / 4.0;
            }
            case DECIMAL: {
                int scale = t.hasFixedScale() ? t.scale : r.nextInt(0, 6);
                switch (r.nextInt(6)) {
                    case 0: return new BigDecimal("12345678901234567890.12").add(BigDecimal.valueOf(r.nextInt(3)));
                    case 1: return BigDecimal.valueOf(r.nextLong(-9, 9), 0).setScale(t.hasFixedScale() ? t.scale : r.nextInt(0, 25));
                    case 2: return BigDecimal.valueOf(Long.MAX_VALUE - r.nextInt(3), scale);
                    default: return BigDecimal.valueOf(r.nextLong(-300, 300), scale);
                }
            }
            default:
                return "v" + r.nextInt(60);
        }
    }

    @Test
    void hashedMatchesLinear() {
        SplittableRandom r = new SplittableRandom(42);
        int hashed = 0;
        for (int trial = 0; trial < 3000; trial++) {
            DataType t = TYPES[r.nextInt(TYPES.length)];
            Eval[] items = new Eval[InSetEval.MIN_ITEMS + r.nextInt(40)];
            for (int i = 0; i < items.length; i++) {
                items[i] = new ConstEval(t, randomValue(t, r));
            }
            boolean negated = r.nextBoolean();
            Eval value = new Eval(t) {
                @Override
                public void eval(io.velo.batch.RecordBatch b, int row) {
                    // the probe's value is set directly
                }
            };
            Eval fast = PredicateEval.inList(value, items, negated);
            assertInstanceOf(InSetEval.class, fast);
            Eval slow = new PredicateEval.InList(value, items, negated);
            for (int probe = 0; probe < 60; probe++) {
                value.setObject(randomValue(t, r));
                fast.eval(null, 0);
                slow.eval(null, 0);
                String what = t + (negated ? " NOT IN " : " IN ") + value.toObject();
                assertEquals(slow.isNull, fast.isNull, what);
                if (!slow.isNull) {
                    assertEquals(slow.l, fast.l, what);
                }
                hashed++;
            }
        }
        assertEquals(3000 * 60, hashed);
    }

    @Test
    void shortOrNonConstantListsAreScanned() {
        Eval[] short3 = {new ConstEval(DataType.BIGINT, 1L), new ConstEval(DataType.BIGINT, 2L), new ConstEval(DataType.BIGINT, 3L)};
        assertInstanceOf(PredicateEval.InList.class, PredicateEval.inList(new ConstEval(DataType.BIGINT, 1L), short3, false));
        Eval[] mixed = new Eval[InSetEval.MIN_ITEMS];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = new ConstEval(DataType.BIGINT, (long) i);
        }
        mixed[3] = new ColumnEval(0, "c", DataType.BIGINT);
        assertInstanceOf(PredicateEval.InList.class, PredicateEval.inList(new ConstEval(DataType.BIGINT, 1L), mixed, false));
    }
}
