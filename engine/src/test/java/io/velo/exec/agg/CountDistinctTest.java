package io.velo.exec.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.Column;
import io.velo.exec.state.StateIn;
import io.velo.exec.state.StateOut;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * COUNT(DISTINCT x) with its primitive long sets against a {@code HashSet} of each value's canonical
 * form (a decimal without trailing zeros, a DOUBLE as {@code Double.equals} sees it): for every
 * argument type, fed a row at a time and a batch at a time over many groups, with NULLs, the long set's
 * free-slot marker (Long.MIN_VALUE) as a value, decimals at other scales than the column's, promoted
 * past 64 bits or with digits past the scale; then groups reset and reused, merged and checkpointed.
 */
class CountDistinctTest {
    private static final int GROUPS = 37;

    private static Object canonical(Object v) {
        if (v instanceof BigDecimal b) {
            BigDecimal s = b.stripTrailingZeros();
            return s.scale() < 0 ? s.setScale(0) : s;
        }
        return v;
    }

    private static Object value(DataType t, SplittableRandom r) {
        if (r.nextInt(10) == 0) {
            return null;
        }
        return switch (t.kind) {
            case BIGINT -> switch (r.nextInt(8)) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                default -> (long) r.nextInt(300) - 150;
            };
            case DOUBLE -> switch (r.nextInt(10)) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> Double.NaN;
                case 3 -> Double.longBitsToDouble(Long.MIN_VALUE); // the bits of -0.0 are the marker
                default -> r.nextInt(200) / 4.0;
            };
            case DECIMAL -> switch (r.nextInt(12)) {
                case 0 -> new BigDecimal("98765432109876543210.12"); // past 64 bits at scale 2
                case 1 -> BigDecimal.valueOf(r.nextInt(50), 1); // scale 1 in a scale-2 column: 1.5 = 1.50
                case 2 -> BigDecimal.valueOf(r.nextInt(50) * 10 + 1, 3); // digits past the scale: never equal a scale-2 value
                case 3 -> BigDecimal.valueOf(r.nextInt(50) * 10, 3); // trailing zero past the scale: 1.230 = 1.23
                case 4 -> BigDecimal.valueOf(Long.MIN_VALUE, 2); // the marker as an unscaled value
                default -> BigDecimal.valueOf(r.nextInt(400) - 200, 2);
            };
            default -> "s" + r.nextInt(90);
        };
    }

    private static void set(Column c, int row, Object v) {
        if (v == null) {
            c.setNull(row);
        } else if (v instanceof BigDecimal b) {
            Dec d = new Dec();
            d.set(b);
            c.setDecimal(row, d);
        } else if (v instanceof Long l) {
            c.setLong(row, l);
        } else if (v instanceof Double d) {
            c.setDouble(row, d);
        } else {
            c.setObject(row, v);
        }
    }

    @Test
    void agreesWithAHashSetOfCanonicalValuesForEveryType() {
        for (DataType t : new DataType[] {DataType.BIGINT, DataType.DOUBLE, DataType.decimal(12, 2), DataType.DECIMAL, DataType.STRING}) {
            SplittableRandom r = new SplittableRandom(t.toString().hashCode());
            DistinctAggregators.CountDistinct rowWise = new DistinctAggregators.CountDistinct(t);
            DistinctAggregators.CountDistinct batchWise = new DistinctAggregators.CountDistinct(t);
            List<Set<Object>> ref = new ArrayList<>();
            rowWise.ensure(GROUPS);
            batchWise.ensure(GROUPS);
            for (int g = 0; g < GROUPS; g++) {
                rowWise.reset(g);
                batchWise.reset(g);
                ref.add(new HashSet<>());
            }
            Aggregator.ColumnRead reader = new Aggregator.ColumnRead(t);
            for (int batch = 0; batch < 60; batch++) {
                int n = 1 + r.nextInt(700);
                Column c = new Column(t, 2 * n + 2);
                int[] gids = new int[n];
                int[] rows = new int[n];
                int gap = r.nextInt(2); // a selection: the live rows need not be 0..n-1
                for (int i = 0; i < n; i++) {
                    rows[i] = i + gap * (i + 1);
                    Object v = value(t, r);
                    int g = r.nextInt(GROUPS);
                    gids[i] = g;
                    set(c, rows[i], v);
                    if (v != null) {
                        ref.get(g).add(canonical(v));
                    }
                    reader.at(c, rows[i]);
                    rowWise.add(g, reader);
                }
                batchWise.addBatch(gids, c, rows, n, reader);
            }
            Aggregator.Slot out = new Aggregator.Slot(DataType.BIGINT);
            long total = 0;
            for (int g = 0; g < GROUPS; g++) {
                rowWise.result(g, out);
                assertEquals(ref.get(g).size(), out.l, t + " group " + g + " row at a time");
                batchWise.result(g, out);
                assertEquals(ref.get(g).size(), out.l, t + " group " + g + " a batch at a time");
                total += out.l;
            }
            assertTrue(total > GROUPS * 10L, "the groups hold real sets: " + total);

            // checkpoint round trip, then merge every group into group 0 of the restored copy
            DistinctAggregators.CountDistinct restored = new DistinctAggregators.CountDistinct(t);
            restored.ensure(GROUPS);
            for (int g = 0; g < GROUPS; g++) {
                StateOut so = new StateOut();
                batchWise.writeState(g, so);
                restored.readState(g, new StateIn(so.toBytes()));
                restored.result(g, out);
                assertEquals(ref.get(g).size(), out.l, t + " group " + g + " restored");
            }
            Set<Object> union = new HashSet<>(ref.get(0));
            for (int g = 1; g < GROUPS; g++) {
                restored.merge(0, restored, g);
                union.addAll(ref.get(g));
            }
            restored.result(0, out);
            assertEquals(union.size(), out.l, t + ": the merge is the union");

            // a reset group starts empty and keeps counting right when reused
            batchWise.reset(3);
            batchWise.result(3, out);
            assertEquals(0, out.l);
            Column c = new Column(t, 4);
            Object v = value(t, new SplittableRandom(1));
            while (v == null) {
                v = value(t, r);
            }
            set(c, 0, v);
            set(c, 1, v);
            batchWise.addBatch(new int[] {3, 3}, c, null, 2, reader);
            batchWise.result(3, out);
            assertEquals(1, out.l, t + ": one value twice in a reused group");
        }
    }
}
