package io.velo.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The allocation-free ISO-8601 parser and formatter agree with java.time. */
class IsoTimestampsTest {
    @Test
    void formatAgreesWithJavaTime() {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        SplittableRandom r = new SplittableRandom(3);
        long min = LocalDateTime.of(0, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000).toInstant(ZoneOffset.UTC).toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long t = i < 100_000 ? r.nextLong(min, max + 1) : r.nextLong(-5_000_000_000_000L, 5_000_000_000_000L);
            StringBuilder sb = new StringBuilder();
            IsoTimestamps.format(t, sb);
            assertEquals(f.format(Instant.ofEpochMilli(t)), sb.toString());
        }
    }

    @Test
    void parseAgreesWithJavaTime() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 200_000; i++) {
            long t = r.nextLong(-5_000_000_000_000L, 250_000_000_000_000L);
            int offsetMinutes = r.nextInt(4) == 0 ? 0 : r.nextInt(-14 * 60, 14 * 60 + 1);
            OffsetDateTime odt = Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            String text;
            switch (r.nextInt(5)) {
                case 0: text = odt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME); break;
                case 1: text = odt.toLocalDateTime().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"))
                        + (offsetMinutes == 0 ? "Z" : odt.getOffset().getId().replace(":", "")); break;
                case 2: text = odt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")); break;
                case 3: text = odt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx")); break;
                default: text = odt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmxxx")); break;
            }
            long expected = OffsetDateTime.parse(text.replace(' ', 'T').replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2")).toInstant().toEpochMilli();
            assertEquals(expected, IsoTimestamps.parse(text), text);
            assertEquals(expected, Values.parseTimestamp(text), text);
        }
        assertEquals(LocalDateTime.of(2024, 2, 29, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli(), IsoTimestamps.parse("2024-02-29"));
        assertEquals(IsoTimestamps.NOT_FAST, IsoTimestamps.parse("2023-02-29"));
        assertEquals(IsoTimestamps.NOT_FAST, IsoTimestamps.parse("2024-13-01T00:00:00Z"));
        assertEquals(IsoTimestamps.NOT_FAST, IsoTimestamps.parse("2024-01-01T24:00:00Z"));
        assertEquals(IsoTimestamps.NOT_FAST, IsoTimestamps.parse("2024-01-01T10:00:00Q"));
        assertEquals(Long.MIN_VALUE, Values.parseTimestamp("2023-02-29T00:00:00Z"));
        assertEquals(Long.MIN_VALUE, Values.parseTimestamp("yesterday"));
    }
}
