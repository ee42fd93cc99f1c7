package io.velo.exec.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.types.DataType;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Taking values back (aggregations over a keyed table): after random adds and removes of values
 * near and past the 64-bit edge, SUM, AVG and COUNT equal the BigDecimal sum of the values still in.
 */
class RemoveTest {
    @Test
    void sumAvgAndCountEqualTheValuesStillIn() {
        for (DataType t : new DataType[] {DataType.BIGINT, DataType.decimal(18, 2), DataType.DECIMAL}) {
            SplittableRandom r = new SplittableRandom(t.toString().hashCode());
            BasicAggregators.SumAvg sum = new BasicAggregators.SumAvg(false, t, DecimalRounding.HALF_UP);
            BasicAggregators.SumAvg avg = new BasicAggregators.SumAvg(true, t, DecimalRounding.HALF_UP);
            BasicAggregators.Count count = new BasicAggregators.Count(false);
            for (Aggregator a : new Aggregator[] {sum, avg, count}) {
                a.ensure(1);
                a.reset(0);
                assertTrue(a.canRemove());
            }
            List<BigDecimal> in = new ArrayList<>();
            Aggregator.Slot arg = new Aggregator.Slot(t);
            int steps = 0;
            for (int i = 0; i < 4000; i++) {
                boolean add = in.isEmpty() || r.nextInt(5) < 3;
                BigDecimal v;
                if (add) {
                    // decimals near the 64-bit edge (their sums promote); BIGINT sums stay in range (past it SUM refuses)
                    boolean edge = t.kind != DataType.Kind.BIGINT;
                    long u = switch (r.nextInt(6)) {
                        case 0 -> edge ? Long.MAX_VALUE - r.nextInt(100) : 1L << 40;
                        case 1 -> edge ? Long.MIN_VALUE + r.nextInt(100) : -(1L << 40);
                        default -> r.nextLong(-100_000, 100_000);
                    };
                    int scale = t.kind == DataType.Kind.BIGINT ? 0 : t.hasFixedScale() ? 2 : r.nextInt(4);
                    v = BigDecimal.valueOf(u, scale);
                } else {
                    v = in.remove(r.nextInt(in.size()));
                }
                set(arg, t, v);
                for (Aggregator a : new Aggregator[] {sum, avg, count}) {
                    if (add) {
                        a.add(0, arg);
                    } else {
                        a.remove(0, arg);
                    }
                }
                if (add) {
                    in.add(v);
                }
                steps++;
                BigDecimal want = in.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                Aggregator.Slot out = new Aggregator.Slot(sum.resultType);
                sum.result(0, out);
                if (in.isEmpty()) {
                    assertTrue(out.isNull, "no value left: NULL");
                } else {
                    BigDecimal got = t.kind == DataType.Kind.BIGINT ? BigDecimal.valueOf(out.l) : out.dec.toBigDecimal();
                    assertEquals(0, want.compareTo(got), t + " step " + i + ": " + want + " vs " + got);
                }
                Aggregator.Slot c = new Aggregator.Slot(DataType.BIGINT);
                count.result(0, c);
                assertEquals(in.size(), c.l);
            }
            assertTrue(steps == 4000, t + ": every step taken");
        }
    }

    @Test
    void minAndMaxOverATableEqualTheExtremesOfTheValuesStillIn() {
        for (DataType t : new DataType[] {DataType.BIGINT, DataType.decimal(18, 2), DataType.DECIMAL}) {
            SplittableRandom r = new SplittableRandom(31 + t.toString().hashCode());
            Aggregator min = new BasicAggregators.MinMax(true, t).removable();
            Aggregator max = new BasicAggregators.MinMax(false, t).removable();
            for (Aggregator a : new Aggregator[] {min, max}) {
                a.ensure(1);
                a.reset(0);
                assertTrue(a.canRemove());
            }
            List<BigDecimal> in = new ArrayList<>();
            Aggregator.Slot arg = new Aggregator.Slot(t);
            for (int i = 0; i < 3000; i++) {
                boolean add = in.isEmpty() || r.nextInt(5) < 3;
                BigDecimal v;
                if (add) {
                    int scale = t.kind == DataType.Kind.BIGINT ? 0 : t.hasFixedScale() ? 2 : r.nextInt(3);
                    v = BigDecimal.valueOf(r.nextLong(-50, 50), scale); // few distinct values: repeats are counted
                } else {
                    v = in.remove(r.nextInt(in.size()));
                }
                set(arg, t, v);
                for (Aggregator a : new Aggregator[] {min, max}) {
                    if (add) {
                        a.add(0, arg);
                    } else {
                        a.remove(0, arg);
                    }
                }
                if (add) {
                    in.add(v);
                }
                for (boolean isMin : new boolean[] {true, false}) {
                    Aggregator.Slot out = new Aggregator.Slot(t);
                    (isMin ? min : max).result(0, out);
                    if (in.isEmpty()) {
                        assertTrue(out.isNull, "no value left: NULL");
                        continue;
                    }
                    BigDecimal want = isMin ? in.stream().min(BigDecimal::compareTo).get() : in.stream().max(BigDecimal::compareTo).get();
                    BigDecimal got = t.kind == DataType.Kind.BIGINT ? BigDecimal.valueOf(out.l) : out.dec.toBigDecimal();
                    assertEquals(0, want.compareTo(got), t + (isMin ? " MIN" : " MAX") + " step " + i + ": " + want + " vs " + got);
                }
            }
        }
    }

    private static void set(Aggregator.Slot arg, DataType t, BigDecimal v) {
        arg.isNull = false;
        if (t.kind == DataType.Kind.BIGINT) {
            arg.l = v.longValueExact();
        } else {
            arg.dec.set(v);
        }
    }
}
