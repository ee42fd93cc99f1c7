package io.velo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.sql.SqlException;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deterministic driver: windows close exactly when event time says so, _timestamp follows the manual clock. */
class QueryDriverTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("k", DataType.STRING), new Field("px", DataType.decimal(10, 2))));

    @Test
    void windowsCloseAsEventTimeAdvances() {
        QueryDriver d = QueryDriver.of("SELECT k, COUNT(*) AS n, SUM(px) AS s, _window_start AS ws FROM t GROUP BY k "
                + "WINDOW TUMBLING(5s) WITH ('watermark.max_out_of_orderness' = '1s')", "t", SCHEMA);
        d.send(1_000, "a", "1.10").send(2_000, "a", "2.20").send(4_500, "b", "5");
        assertEquals(List.of(), d.flush(), "watermark 3.5 s: the first window is still open");
        d.send(6_500, "a", "0.01");
        assertEquals(List.of(List.of("a", 2L, new BigDecimal("3.30"), 0L), List.of("b", 1L, new BigDecimal("5.00"), 0L)), d.flush());
        d.send(3_000, "b", "9.99"); // behind the watermark, its window closed: late
        assertEquals(List.of(), d.flush());
        assertEquals(1, d.metrics().late());
        assertEquals(List.of(List.of("a", 1L, new BigDecimal("0.01"), 5_000L)), d.finish());
    }

    @Test
    void finishReturnsTheRowsOfRecordsStillQueuedAndThenTheClosingOnes() {
        QueryDriver d = QueryDriver.of("SELECT k, COUNT(*) AS n FROM t GROUP BY k EMIT CHANGES", "t", SCHEMA);
        d.send(1, "a", "1").send(2, "b", "1").send(3, "a", "1");
        assertEquals(List.of(List.of("a", 1L), List.of("b", 1L), List.of("a", 2L)), d.finish(), "nothing flushed before finish");
        QueryDriver p = QueryDriver.of("SELECT k FROM t", "t", SCHEMA);
        p.send(7, "a", "1").send(8, "b", "1");
        assertEquals(List.of(List.of("a"), List.of("b")), p.finish());
        assertEquals(List.of(7L, 8L), p.eventTimes());
        QueryDriver w = QueryDriver.of("SELECT k, COUNT(*) AS n FROM t GROUP BY k WINDOW TUMBLING(5s) EMIT FINAL", "t", SCHEMA);
        w.send(1_000, "a", "1").send(7_000, "a", "1"); // the second record closes [0, 5s) while the batch is pushed
        assertEquals(List.of(List.of("a", 1L), List.of("a", 1L)), w.finish());
    }

    @Test
    void processingTimeComesFromTheManualClock() {
        QueryDriver d = QueryDriver.of("SELECT k, _timestamp AS seen, _event_time AS happened FROM t", "t", SCHEMA);
        d.at(1_700_000_000_000L).send(42, "a", null).at(1_700_000_000_500L).send(43, "b", "1");
        assertEquals(List.of(List.of("a", 1_700_000_000_000L, 42L), List.of("b", 1_700_000_000_500L, 43L)), d.flush());
    }

    @Test
    void anItemAliasedEventTimeSetsTheEventTimeOfItsRows() {
        Schema s = new Schema(List.of(new Field("k", DataType.STRING), new Field("at", DataType.BIGINT)));
        // the filtered row in the middle checks that each kept row keeps its own event time
        QueryDriver d = QueryDriver.of("SELECT k, at + 1000 AS _event_time FROM t WHERE k <> 'x'", "t", s);
        d.send(0, "a", 5L).send(0, "x", 6L).send(0, "b", 7L);
        assertEquals(List.of(List.of("a"), List.of("b")), d.flush(), "the aliased item is not an output column");
        assertEquals(List.of(1005L, 1007L), d.eventTimes());
        Schema ts = new Schema(List.of(new Field("k", DataType.STRING), new Field("happened", DataType.TIMESTAMP)));
        QueryDriver t = QueryDriver.of("SELECT happened AS _event_time, k FROM t", "t", ts);
        t.send(1, "a", "2024-06-15T10:00:00Z");
        assertEquals(List.of(List.of("a")), t.flush());
        assertEquals(List.of(1_718_445_600_000L), t.eventTimes());
        // without the alias, a row keeps the event time it came with, and _event_time reads it
        QueryDriver w = QueryDriver.of("SELECT k, _event_time AS seen FROM t", "t", s);
        w.send(42, "a", 1L);
        assertEquals(List.of(List.of("a", 42L)), w.flush());
        assertEquals(List.of(42L), w.eventTimes());
    }

    @Test
    void badSqlFailsBeforeAnythingRuns() {
        SqlException e = assertThrows(SqlException.class, () -> QueryDriver.of("SELECT nope FROM t", "t", SCHEMA));
        assertTrue(e.getMessage().contains("unknown column 'nope'"));
        assertThrows(IllegalArgumentException.class, () -> QueryDriver.of("SELECT k FROM t", "t", SCHEMA).send(0, "only one"));
    }
}
