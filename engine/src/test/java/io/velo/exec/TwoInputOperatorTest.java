package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two-input seam: each side's chain feeds its side, both must end, and the watermark is the slower side's. */
class TwoInputOperatorTest {
    /** A union of two inputs that records what reaches it, in order. */
    private static final class Union implements TwoInputOperator {
        final List<String> events = new ArrayList<>();
        final TwoInputWatermark wm = new TwoInputWatermark();
        final boolean[] ended = new boolean[2];

        @Override
        public void push(int side, RecordBatch batch) {
            events.add("rows " + side + ":" + batch.liveCount());
        }

        @Override
        public void finish(int side) {
            ended[side] = true;
            if (ended[LEFT] && ended[RIGHT]) {
                events.add("finished");
            }
        }

        @Override
        public void watermark(int side, long w) {
            long combined = wm.advance(side, w);
            if (combined != Long.MIN_VALUE) {
                events.add("watermark " + combined);
            }
        }
    }

    @Test
    void sidesWatermarksAndEnds() {
        Union u = new Union();
        Schema schema = new Schema(List.of(new Field("x", DataType.BIGINT)));
        BatchPool pool = new BatchPool(schema, 8, 1);
        RecordBatch b = pool.acquire();
        b.size = 3;
        // a stateless chain in front of each side passes batches and the watermark signal on
        Operator left = new LimitOperator(10, u.input(TwoInputOperator.LEFT), new io.velo.metrics.JobMetrics());
        Operator right = u.input(TwoInputOperator.RIGHT);
        left.push(b);
        right.push(b);
        left.watermark(100);
        right.watermark(50);
        right.watermark(120);
        left.watermark(90); // a side never goes back
        left.watermark(200);
        left.finish();
        right.finish();
        b.release();
        assertEquals(List.of("rows 0:3", "rows 1:3", "watermark 50", "watermark 100", "watermark 120", "finished"), u.events);
        assertEquals(120, u.wm.current());
        assertThrows(IllegalArgumentException.class, () -> u.input(2));
    }

    @Test
    void asOneInputOperatorItIsItsLeftSide() {
        Union u = new Union();
        Operator plain = u;
        plain.watermark(7);
        assertEquals(List.of("watermark 7"), u.events);
        plain.finish();
        assertEquals("finished", u.events.get(u.events.size() - 1));
    }
}
