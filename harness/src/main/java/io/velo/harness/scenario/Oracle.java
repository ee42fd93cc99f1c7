package io.velo.harness.scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.velo.harness.scenario.Scenario.Check;
import io.velo.harness.scenario.Scenario.CheckType;
import io.velo.harness.scenario.Scenario.Condition;
import io.velo.harness.scenario.Scenario.DecimalField;
import io.velo.harness.scenario.Scenario.Field;
import io.velo.harness.scenario.Scenario.Generator;
import io.velo.harness.scenario.Scenario.Sum;
import io.velo.harness.scenario.Scenario.TotalsMode;
import io.velo.harness.scenario.Verification.TotalMismatch;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The independent output oracle: what a scenario's check expects, computed from the generator's
 * definition alone (records are regenerated from their sequence numbers, never stored and never run
 * through the engine), and the comparison of a run's output rows with it.
 *
 * <p>Tell it which input records were sent ({@link #expect}, {@link #accept}, {@link #acceptRange},
 * {@link #acceptProducer}), feed it the output messages ({@link #observe}, in any order and
 * interleaved with the accepts), then read {@link #result()}. For {@code ids} it keeps three bitsets
 * over the sequence numbers (expected, seen, ...) — a bit per record; for {@code totals} the exact
 * expected count and sums, and for {@code final_per_key} the last row per key. Input records that are
 * malformed or fail the {@code where} conditions are never expected. The methods are synchronized so a
 * consumer thread may observe while another accepts; accepting regenerates the record, so rather than
 * per record on the producers' hot path, call {@link #acceptProducer} for each producer once it stopped.
 */
public final class Oracle {
    private static final JsonFactory JSON = new JsonFactory();
    /** Ids this far above the highest accepted one are counted as unexpected without a bit (bounds memory on garbage ids). */
    private static final long ID_SLACK = 1L << 24;
    private static final int EXAMPLES = 5;

    private final Check check;
    private final RecordGenerator records;
    private final int[] whereField;
    private final Predicates.LongPredicate[] where;

    // input
    private long recordsIn;
    private long maxAccepted;
    private final Bits expectedIds = new Bits();
    private long expectedCount;
    private final int[] sumField;
    private final int[] sumScale;
    private final Exact[] expectedSums;

    // output
    private long recordsOut;
    private long malformedOutputs;
    private final Bits seen = new Bits();
    private long duplicates;
    private long unexpectedFar;
    private final List<Long> duplicateExamples = new ArrayList<>();
    private final List<Long> farExamples = new ArrayList<>();
    private final List<String> malformedExamples = new ArrayList<>();
    private final List<String> precisionProblems = new ArrayList<>();
    private final String[] columns; // totals: count column (or null) then the sums' output columns
    private final int[] columnScale;
    private final Exact[] observedSums;
    private final Map<String, long[]> lastPerKey = new HashMap<>();

    /** closed_by_watermark: the event-time field, window and out-of-orderness, each window's expected records, the max event time. */
    private final int closingField;
    private final long closingWindow;
    private final long closingOoo;
    private final java.util.TreeMap<Long, Bucket> buckets = new java.util.TreeMap<>();
    private long maxEventTime = Long.MIN_VALUE;

    private static final class Bucket {
        long count;
        final Exact[] sums;

        Bucket(int n) {
            sums = new Exact[n];
            for (int i = 0; i < n; i++) {
                sums[i] = new Exact();
            }
        }
    }

    private Oracle(Scenario scenario, long seed) {
        this.check = scenario.check();
        Generator gen = scenario.generator();
        Scenario.Closing cl = check.closing().orElse(null);
        this.closingField = cl == null ? -1 : gen.indexOf(cl.eventTime());
        this.closingWindow = cl == null ? 0 : cl.windowMillis();
        this.closingOoo = cl == null ? 0 : cl.outOfOrdernessMillis();
        this.records = check.type() == CheckType.NONE ? null : new RecordGenerator(gen, seed, 0, 1);
        List<Condition> conds = check.where();
        whereField = new int[conds.size()];
        where = new Predicates.LongPredicate[conds.size()];
        for (int i = 0; i < conds.size(); i++) {
            Condition c = conds.get(i);
            whereField[i] = gen.indexOf(c.field());
            Field f = gen.fields().get(whereField[i]);
            where[i] = Predicates.compile(f, c);
        }
        List<Sum> sums = check.sums();
        sumField = new int[sums.size()];
        sumScale = new int[sums.size()];
        expectedSums = new Exact[sums.size()];
        int cols = sums.size() + 1;
        columns = new String[cols];
        columnScale = new int[cols];
        observedSums = new Exact[cols];
        columns[0] = check.countOutput().orElse(null);
        observedSums[0] = new Exact();
        for (int i = 0; i < sums.size(); i++) {
            sumField[i] = gen.indexOf(sums.get(i).input());
            Field f = gen.fields().get(sumField[i]);
            sumScale[i] = f instanceof DecimalField d ? d.scale() : 0;
            expectedSums[i] = new Exact();
            columns[i + 1] = sums.get(i).output();
            columnScale[i + 1] = sumScale[i];
            observedSums[i + 1] = new Exact();
        }
    }

    /** An oracle for the scenario's generator seed that expects nothing yet. */
    public static Oracle of(Scenario scenario) {
        return new Oracle(scenario, scenario.generator().seed());
    }

    /** An oracle for records generated with {@code seed} (a repetition may use its own). */
    public static Oracle of(Scenario scenario, long seed) {
        return new Oracle(scenario, seed);
    }

    /** An oracle expecting the output of records {@code firstSeq .. lastSeq} (inclusive), the scenario's seed. */
    public static Oracle expect(Scenario scenario, long firstSeq, long lastSeq) {
        Oracle o = of(scenario);
        o.acceptRange(firstSeq, lastSeq);
        return o;
    }

    /** Records that input record {@code sequence} was sent (accept each at most once). */
    public synchronized void accept(long sequence) {
        recordsIn++;
        maxAccepted = Math.max(maxAccepted, sequence);
        if (records == null) {
            return;
        }
        records.at(sequence);
        if (records.malformed()) {
            return;
        }
        for (int i = 0; i < where.length; i++) {
            if (!where[i].test(records.value(whereField[i]))) {
                return;
            }
        }
        if (closingField >= 0) {
            long t = records.value(closingField);
            maxEventTime = Math.max(maxEventTime, t);
            Bucket b = buckets.computeIfAbsent(Math.floorDiv(t, closingWindow) * closingWindow, k -> new Bucket(sumField.length));
            b.count++;
            for (int i = 0; i < sumField.length; i++) {
                b.sums[i].add(records.value(sumField[i]));
            }
            return;
        }
        expectedCount++;
        if (check.type() == CheckType.IDS) {
            expectedIds.set(sequence);
        } else {
            for (int i = 0; i < sumField.length; i++) {
                expectedSums[i].add(records.value(sumField[i]));
            }
        }
    }

    /** Records that {@code first .. last} (inclusive) were sent. */
    public synchronized void acceptRange(long first, long last) {
        for (long s = first; s <= last; s++) {
            accept(s);
        }
    }

    /** Records that producer {@code index} of {@code count} sent its first {@code sent} records (see {@link RecordGenerator}). */
    public synchronized void acceptProducer(int index, int count, long sent) {
        for (long j = 0, s = index + 1; j < sent; j++, s += count) {
            accept(s);
        }
    }

    /** Keys of the output (final_per_key totals): how many distinct groups the job holds. */
    public synchronized long distinctKeys() {
        return lastPerKey.size();
    }

    /** Input records the check expects to see reflected in the output (so far). */
    public synchronized long expectedCount() {
        settle();
        return expectedCount;
    }

    /** The exact expected sum of the {@code i}-th {@code check.sums} input over the expected records. */
    public synchronized BigDecimal expectedSum(int i) {
        settle();
        return expectedSums[i].value(sumScale[i]);
    }

    /**
     * With closed_by_watermark: the expected count and sums are those of the windows the final
     * watermark (max event time − out-of-orderness) has closed; the records of windows still open
     * when the job stops are not expected (the job keeps them for its next run).
     */
    private void settle() {
        if (closingField < 0) {
            return;
        }
        expectedCount = 0;
        for (int i = 0; i < expectedSums.length; i++) {
            expectedSums[i] = new Exact();
        }
        openRecords = 0;
        long watermark = maxEventTime == Long.MIN_VALUE ? Long.MIN_VALUE : maxEventTime - closingOoo;
        for (var e : buckets.entrySet()) {
            Bucket b = e.getValue();
            if (e.getKey() + closingWindow <= watermark) {
                expectedCount += b.count;
                for (int i = 0; i < expectedSums.length; i++) {
                    expectedSums[i].add(b.sums[i]);
                }
            } else {
                openRecords += b.count;
            }
        }
    }

    private long openRecords;

    /** With closed_by_watermark: the expected records of windows still open at the end (not in the expected totals). */
    public synchronized long openWindowRecords() {
        settle();
        return openRecords;
    }

    /** Checks every message and returns the result (equivalent to observing each, then {@link #result()}). */
    public synchronized Verification verify(Iterable<byte[]> outputMessages) {
        for (byte[] m : outputMessages) {
            observe(m);
        }
        return result();
    }

    /** One output message (a Kafka record value: one JSON object). */
    public synchronized void observe(byte[] value) {
        observe(value, 0, value.length);
    }

    public synchronized void observe(byte[] value, int offset, int length) {
        recordsOut++;
        if (check.type() == CheckType.NONE) {
            return;
        }
        try (JsonParser p = JSON.createParser(value, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                malformed(value, offset, length, "not a JSON object");
                return;
            }
            if (check.type() == CheckType.IDS) {
                observeId(p, value, offset, length);
            } else {
                observeTotals(p, value, offset, length);
            }
        } catch (IOException | RuntimeException e) {
            malformed(value, offset, length, "unreadable JSON: " + e.getMessage().split("\n")[0]);
        }
    }

    private void observeId(JsonParser p, byte[] value, int offset, int length) throws IOException {
        String idField = check.idField().orElseThrow();
        long id = -1;
        boolean found = false;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!found && name.equals(idField)) {
                found = true;
                id = integer(p, v);
            } else {
                p.skipChildren();
            }
        }
        if (!found || id == Long.MIN_VALUE) {
            malformed(value, offset, length, found ? "id column '" + idField + "' is not an integer" : "no id column '" + idField + "'");
            return;
        }
        if (id < 1 || id > maxAccepted + ID_SLACK) {
            unexpectedFar++;
            if (farExamples.size() < EXAMPLES) {
                farExamples.add(id);
            }
            return;
        }
        if (seen.get(id)) {
            duplicates++;
            if (duplicateExamples.size() < EXAMPLES && !duplicateExamples.contains(id)) {
                duplicateExamples.add(id);
            }
        } else {
            seen.set(id);
        }
    }

    /** A JSON integer (number or numeric string), or Long.MIN_VALUE if the value is not one. */
    private static long integer(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.LONG
                || v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText());
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        return Long.MIN_VALUE;
    }

    private void observeTotals(JsonParser p, byte[] value, int offset, int length) throws IOException {
        String keyColumn = check.mode() == TotalsMode.FINAL_PER_KEY ? check.keyField().orElseThrow() : null;
        String key = null;
        long[] row = new long[columns.length];
        boolean[] have = new boolean[columns.length];
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals(keyColumn)) {
                key = v == JsonToken.VALUE_NULL ? "null" : v.isScalarValue() ? v + ":" + p.getText() : null;
            }
            boolean used = false;
            for (int c = 0; c < columns.length; c++) {
                if (name.equals(columns[c]) && !have[c]) {
                    BigDecimal d = decimal(p, v);
                    if (d == null) {
                        malformed(value, offset, length, "column '" + name + "' is not a number");
                        return;
                    }
                    try {
                        row[c] = d.setScale(columnScale[c]).unscaledValue().longValueExact();
                    } catch (ArithmeticException e) {
                        if (precisionProblems.size() < EXAMPLES) {
                            precisionProblems.add("column '" + name + "' value " + d.toPlainString() + " is not exact at scale "
                                    + columnScale[c] + " or out of range: " + snippet(value, offset, length));
                        }
                        malformedOutputs++;
                        return;
                    }
                    have[c] = true;
                    used = true;
                }
            }
            if (!used) {
                p.skipChildren();
            }
        }
        for (int c = 0; c < columns.length; c++) {
            if (columns[c] != null && !have[c]) {
                malformed(value, offset, length, "no column '" + columns[c] + "'");
                return;
            }
        }
        if (keyColumn != null) {
            if (key == null) {
                malformed(value, offset, length, "no key column '" + keyColumn + "'");
                return;
            }
            lastPerKey.put(key, row);
        } else {
            for (int c = 0; c < columns.length; c++) {
                observedSums[c].add(row[c]);
            }
        }
    }

    private static BigDecimal decimal(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return new BigDecimal(p.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private void malformed(byte[] value, int offset, int length, String why) {
        malformedOutputs++;
        if (malformedExamples.size() < EXAMPLES) {
            malformedExamples.add(why + ": " + snippet(value, offset, length));
        }
    }

    private static String snippet(byte[] value, int offset, int length) {
        String s = new String(value, offset, Math.min(length, 120), java.nio.charset.StandardCharsets.UTF_8);
        return length > 120 ? s + "…" : s;
    }

    /** The comparison of everything observed with everything accepted so far. */
    public synchronized Verification result() {
        settle();
        List<String> problems = new ArrayList<>();
        long lost = 0;
        long unexpected = 0;
        long expected = expectedCount;
        List<TotalMismatch> mismatches = new ArrayList<>();
        if (malformedOutputs > 0) {
            problems.add(malformedOutputs + " malformed output row(s)" + (malformedExamples.isEmpty() ? "" : ", e.g. " + malformedExamples.get(0)));
            problems.addAll(precisionProblems);
        }
        if (check.type() == CheckType.IDS) {
            List<Long> lostExamples = new ArrayList<>();
            List<Long> unexpectedExamples = new ArrayList<>(farExamples);
            long words = Math.max(expectedIds.words.length, seen.words.length);
            for (int w = 0; w < words; w++) {
                long e = expectedIds.word(w);
                long s = seen.word(w);
                long missing = e & ~s;
                long extra = s & ~e;
                lost += Long.bitCount(missing);
                unexpected += Long.bitCount(extra);
                examples(missing, w, lostExamples);
                examples(extra, w, unexpectedExamples);
            }
            unexpected += unexpectedFar;
            if (lost > 0) {
                problems.add(lost + " expected id(s) lost, e.g. " + join(lostExamples));
            }
            if (duplicates > 0) {
                problems.add(duplicates + " duplicate row(s), e.g. id " + join(duplicateExamples));
            }
            if (unexpected > 0) {
                problems.add(unexpected + " row(s) with an id not expected (filtered out, malformed input or never sent), e.g. "
                        + join(unexpectedExamples));
            }
        } else if (check.type() == CheckType.TOTALS) {
            Exact[] totals = observedSums;
            if (check.mode() == TotalsMode.FINAL_PER_KEY) {
                totals = new Exact[columns.length];
                for (int c = 0; c < columns.length; c++) {
                    totals[c] = new Exact();
                }
                for (long[] row : lastPerKey.values()) {
                    for (int c = 0; c < columns.length; c++) {
                        totals[c].add(row[c]);
                    }
                }
            }
            if (columns[0] != null) {
                BigDecimal want = BigDecimal.valueOf(expectedCount);
                BigDecimal got = totals[0].value(0);
                if (want.compareTo(got) != 0) {
                    mismatches.add(new TotalMismatch("count(" + columns[0] + ")", want, got));
                }
            }
            for (int i = 0; i < sumField.length; i++) {
                BigDecimal want = expectedSums[i].value(sumScale[i]);
                BigDecimal got = totals[i + 1].value(sumScale[i]);
                if (want.compareTo(got) != 0) {
                    mismatches.add(new TotalMismatch("sum(" + check.sums().get(i).input() + ") = " + columns[i + 1], want, got));
                }
            }
            for (TotalMismatch m : mismatches) {
                problems.add("total mismatch: " + m);
            }
        }
        return new Verification(check.type(), recordsIn, recordsOut, expected, lost, duplicates, unexpected, malformedOutputs,
                List.copyOf(mismatches), problems.isEmpty(), List.copyOf(problems));
    }

    private static void examples(long bits, int word, List<Long> out) {
        while (bits != 0 && out.size() < EXAMPLES) {
            out.add(((long) word << 6) + Long.numberOfTrailingZeros(bits));
            bits &= bits - 1;
        }
    }

    private static String join(List<Long> ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(ids.get(i));
        }
        return sb.toString();
    }

    /** A growable bitset indexed by sequence number. */
    static final class Bits {
        long[] words = new long[16];

        void set(long i) {
            int w = (int) (i >>> 6);
            if (w >= words.length) {
                words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
            }
            words[w] |= 1L << i;
        }

        boolean get(long i) {
            int w = (int) (i >>> 6);
            return w < words.length && (words[w] & (1L << i)) != 0;
        }

        long word(int w) {
            return w < words.length ? words[w] : 0;
        }
    }

    /** An exact integer sum: a long until it would overflow, then a BigInteger. */
    static final class Exact {
        private long small;
        private BigInteger big;

        void add(long v) {
            long r = small + v;
            if (((small ^ r) & (v ^ r)) < 0) {
                big = (big == null ? BigInteger.ZERO : big).add(BigInteger.valueOf(small)).add(BigInteger.valueOf(v));
                small = 0;
            } else {
                small = r;
            }
        }

        void add(Exact other) {
            add(other.small);
            if (other.big != null) {
                big = (big == null ? BigInteger.ZERO : big).add(other.big);
            }
        }

        BigDecimal value(int scale) {
            BigInteger total = big == null ? BigInteger.valueOf(small) : big.add(BigInteger.valueOf(small));
            return new BigDecimal(total, scale);
        }
    }
}
