package io.velo.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void steadyRateSpacesRecordsEvenly() {
        Schedule s = new Schedule(1000, 0, 10_000_000, List.of());
        assertEquals(10_000, s.totalRecords());
        assertEquals(0, s.dueMicros(1));
        assertEquals(1000, s.dueMicros(2));
        assertEquals(9_999_000, s.dueMicros(10_000));
        assertEquals(5000, s.recordsBetween(2_000_000, 7_000_000));
    }

    @Test
    void rampStartsAtATenthAndReachesTheRate() {
        Schedule s = new Schedule(1000, 2_000_000, 4_000_000, List.of());
        // ramp: average 550/s over 2 s = 1100 records, then 2000 more
        assertEquals(3100, s.totalRecords());
        long gapEarly = s.dueMicros(3) - s.dueMicros(2);
        long gapLate = s.dueMicros(3001) - s.dueMicros(3000);
        assertTrue(gapEarly > 5 * gapLate, gapEarly + " vs " + gapLate);
        assertEquals(1000, gapLate);
        for (long seq = 2; seq <= s.totalRecords(); seq++) {
            assertTrue(s.dueMicros(seq) >= s.dueMicros(seq - 1), "due times never go back");
        }
    }

    @Test
    void aBurstReplacesTheRateForItsSpan() {
        Schedule s = new Schedule(1000, 0, 10_000_000, List.of(new Schedule.Burst(4_000_000, 1_000_000, 6000)));
        assertEquals(9000 + 6000, s.totalRecords());
        assertEquals(6000, s.recordsBetween(4_000_000, 5_000_000));
        assertEquals(1000, s.recordsBetween(5_000_000, 6_000_000));
        long inBurst = s.dueMicros(4500) - s.dueMicros(4499);
        assertTrue(inBurst < 200, "records 1/6 ms apart in the burst: " + inBurst);
    }
}
