package io.velo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The original's field lists as Velo column lists. */
class OriginalSchemaTest {
    @Test
    void anIntegerEventTimeColumnIsTheTimestampSystemColumnOtherIntegersStayBigint() {
        String cols = OriginalSchema.columns("[{\"name\": \"symbol\", \"type\": \"string\"}, {\"name\": \"timestamp\", \"type\": \"integer\"},"
                + " {\"name\": \"_event_time\", \"type\": \"integer\"}, {\"name\": \"event_time\", \"type\": \"timestamp\"}]");
        assertEquals("symbol STRING, timestamp BIGINT, _event_time TIMESTAMP, event_time TIMESTAMP", cols);
    }
}
