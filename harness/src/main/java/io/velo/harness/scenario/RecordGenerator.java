package io.velo.harness.scenario;

import io.velo.harness.scenario.Scenario.DecimalField;
import io.velo.harness.scenario.Scenario.Distribution;
import io.velo.harness.scenario.Scenario.EnumField;
import io.velo.harness.scenario.Scenario.EventTimeField;
import io.velo.harness.scenario.Scenario.Field;
import io.velo.harness.scenario.Scenario.Generator;
import io.velo.harness.scenario.Scenario.KeyField;
import io.velo.harness.scenario.Scenario.LongField;
import io.velo.harness.scenario.Scenario.SendTimeField;
import io.velo.harness.scenario.Scenario.SequenceField;
import io.velo.harness.scenario.Scenario.TextField;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Generates a scenario's input records as JSON, one instance per producer thread (not thread-safe).
 *
 * <p>Record {@code i} (its sequence number, from 1) is a pure function of {@code (seed, i)}: its random
 * stream is seeded by mixing the two (SplitMix64), never by the records before it. So producer k of P
 * (0-based) generates the sequence numbers k+1, k+1+P, k+1+2P, ... and P producers together generate
 * exactly the records one producer would, whatever P is; and {@link Oracle} recomputes any record from
 * its sequence number without storing it. The event time is fixed by the sequence number too
 * ({@code start + (i−1)·step}, minus a delay for the late ones).
 *
 * <p>Encoding writes straight into the caller's buffer from pre-encoded field names and values: no
 * per-record allocation ({@link #key()} allocates only for high-cardinality keys).
 * Malformed records (the spec's {@code malformed_fraction}) are invalid JSON: either a strict prefix of
 * the record (an unterminated object) or one field's value replaced by a bare word.
 */
public final class RecordGenerator {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final byte[] BAD_VALUE = "bad_value".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_CACHE_LIMIT = 1 << 16;

    private static final int SEQUENCE = 0;
    private static final int ENUM = 1;
    private static final int KEY = 2;
    private static final int LONG = 3;
    private static final int DECIMAL = 4;
    private static final int EVENT_TIME = 5;
    private static final int SEND_TIME = 6;
    private static final int TEXT = 7;

    /** Doubles in [0, 1) from the current record's stream (for {@link Zipf}). */
    interface Uniform {
        double nextDouble();
    }

    private final Generator spec;
    private final long seedMix;
    private final long producerCount;
    private final double malformedFraction;
    private final int n;
    private final int[] kind;
    private final byte[][] names; // {"name": for the first field, ,"name": for the others
    private final long[] min;
    private final long[] range; // max − min + 1 (uniform long/decimal/key cardinality)
    private final double[] mean;
    private final double[] stddev;
    private final boolean[] normal;
    private final Zipf[] zipf;
    private final double[][] cumulative; // enum
    private final byte[][][] quoted; // enum values as JSON strings
    private final byte[][][] raw; // enum values as key bytes
    private final byte[][] prefix; // key prefix, quote included, or null for numeric keys
    private final int[] scale;
    private final long[] pow10;
    private final boolean[] asString;
    private final long[] startMillis;
    private final long[] startNanoRest;
    private final long[] stepNanos;
    private final double[] lateFraction;
    private final long[] maxDelayMillis;
    private final boolean[] iso;
    private final int[] textMin;
    private final int[] textMax;
    private final int keyField;
    private final byte[][] keyCache;
    private final int maxBytes;

    // the current record
    private long sequence;
    private boolean[] sequentialKey = new boolean[0];
    private long nextSequence;
    private final long[] values;
    private long state;
    private boolean malformed;
    private boolean truncated;
    private int corruptField;
    private long cutDraw;
    private boolean current;
    private final byte[] digits = new byte[20];
    private final Uniform uniform = this::nextDouble;

    /**
     * @param spec the scenario's generator section
     * @param seed the seed (usually {@code spec.seed()}; a repetition may use another)
     * @param producerIndex this producer, 0 .. producerCount−1
     * @param producerCount how many producers share the sequence numbers
     */
    public RecordGenerator(Generator spec, long seed, int producerIndex, int producerCount) {
        if (producerCount < 1 || producerIndex < 0 || producerIndex >= producerCount) {
            throw new IllegalArgumentException("producer " + producerIndex + " of " + producerCount);
        }
        if (spec.fields().isEmpty()) {
            throw new IllegalArgumentException("the generator has no fields");
        }
        this.spec = spec;
        this.seedMix = mix(seed ^ 0x5DEECE66DL);
        this.producerCount = producerCount;
        this.nextSequence = producerIndex + 1;
        this.malformedFraction = spec.malformedFraction();
        List<Field> fields = spec.fields();
        n = fields.size();
        kind = new int[n];
        names = new byte[n][];
        min = new long[n];
        range = new long[n];
        mean = new double[n];
        stddev = new double[n];
        normal = new boolean[n];
        zipf = new Zipf[n];
        sequentialKey = new boolean[n];
        cumulative = new double[n][];
        quoted = new byte[n][][];
        raw = new byte[n][][];
        prefix = new byte[n][];
        scale = new int[n];
        pow10 = new long[n];
        asString = new boolean[n];
        startMillis = new long[n];
        startNanoRest = new long[n];
        stepNanos = new long[n];
        lateFraction = new double[n];
        maxDelayMillis = new long[n];
        iso = new boolean[n];
        textMin = new int[n];
        textMax = new int[n];
        values = new long[n];
        int bytes = 2;
        for (int i = 0; i < n; i++) {
            Field f = fields.get(i);
            names[i] = ((i == 0 ? "{" : ",") + '"' + f.name() + "\":").getBytes(StandardCharsets.UTF_8);
            bytes += names[i].length;
            int valueBytes = 20;
            if (f instanceof SequenceField) {
                kind[i] = SEQUENCE;
            } else if (f instanceof EnumField e) {
                kind[i] = ENUM;
                int m = e.values().size();
                cumulative[i] = new double[m];
                quoted[i] = new byte[m][];
                raw[i] = new byte[m][];
                double total = e.weights().stream().mapToDouble(Double::doubleValue).sum();
                double acc = 0;
                valueBytes = 0;
                for (int j = 0; j < m; j++) {
                    acc += e.weights().get(j);
                    cumulative[i][j] = acc / total;
                    quoted[i][j] = jsonString(e.values().get(j)).getBytes(StandardCharsets.UTF_8);
                    raw[i][j] = e.values().get(j).getBytes(StandardCharsets.UTF_8);
                    valueBytes = Math.max(valueBytes, quoted[i][j].length);
                }
                cumulative[i][m - 1] = 1.0;
            } else if (f instanceof KeyField k) {
                kind[i] = KEY;
                range[i] = k.cardinality();
                if (k.distribution() == Distribution.ZIPF) {
                    zipf[i] = new Zipf(k.cardinality(), k.exponent());
                }
                sequentialKey[i] = k.distribution() == Distribution.SEQUENTIAL;
                if (k.prefix().isPresent()) {
                    String q = jsonString(k.prefix().get());
                    prefix[i] = q.substring(0, q.length() - 1).getBytes(StandardCharsets.UTF_8);
                    valueBytes = prefix[i].length + 21;
                }
            } else if (f instanceof LongField l) {
                kind[i] = LONG;
                min[i] = l.min();
                range[i] = l.max() - l.min() + 1;
                normal[i] = l.distribution() == Distribution.NORMAL;
                mean[i] = l.mean();
                stddev[i] = l.stddev();
            } else if (f instanceof DecimalField d) {
                kind[i] = DECIMAL;
                scale[i] = d.scale();
                pow10[i] = BigDecimal.ONE.scaleByPowerOfTen(d.scale()).longValueExact();
                min[i] = d.min().unscaledValue().longValueExact();
                range[i] = d.max().unscaledValue().longValueExact() - min[i] + 1;
                normal[i] = d.distribution() == Distribution.NORMAL;
                mean[i] = d.mean().movePointRight(d.scale()).doubleValue();
                stddev[i] = d.stddev().movePointRight(d.scale()).doubleValue();
                asString[i] = d.asString();
                valueBytes = 23;
            } else if (f instanceof EventTimeField t) {
                kind[i] = EVENT_TIME;
                startMillis[i] = t.start().toEpochMilli();
                startNanoRest[i] = t.start().getNano() % 1_000_000;
                stepNanos[i] = t.step().toNanos();
                lateFraction[i] = t.outOfOrderFraction();
                maxDelayMillis[i] = t.maxDelay().toMillis();
                iso[i] = t.iso();
                valueBytes = t.iso() ? 32 : 20;
            } else if (f instanceof SendTimeField) {
                kind[i] = SEND_TIME;
            } else if (f instanceof TextField t) {
                kind[i] = TEXT;
                textMin[i] = t.minLength();
                textMax[i] = t.maxLength();
                valueBytes = t.maxLength() + 2;
            }
            bytes += Math.max(valueBytes, BAD_VALUE.length);
        }
        maxBytes = bytes;
        keyField = spec.kafkaKey().map(spec::indexOf).orElse(-1);
        keyCache = keyField >= 0 && kind[keyField] == KEY && range[keyField] <= KEY_CACHE_LIMIT
                ? new byte[(int) range[keyField]][] : null;
    }

    /** An upper bound of one record's encoded size: {@link #next} needs this much room in its buffer. */
    public int maxRecordBytes() {
        return maxBytes;
    }

    /** The sequence number the next {@link #next} call generates. */
    public long nextSequence() {
        return nextSequence;
    }

    /**
     * Generates this producer's next record, writes its JSON into {@code out} (from its position; the
     * position ends after it) and returns its sequence number.
     *
     * @param intendedSendMicros the record's intended send time, epoch µs, written into the send_time field
     * @throws java.nio.BufferOverflowException when {@code out} has less room than the record needs
     *         ({@link #maxRecordBytes()} always suffices)
     */
    public long next(long intendedSendMicros, ByteBuffer out) {
        long seq = nextSequence;
        nextSequence += producerCount;
        at(seq);
        write(intendedSendMicros, out);
        return seq;
    }

    /** Makes record {@code sequence} (≥ 1) the current one without encoding it: {@link #value} then reads its fields. */
    public void at(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence numbers start at 1: " + sequence);
        }
        this.sequence = sequence;
        state = mix(seedMix + mix(sequence * GOLDEN));
        boolean bad = nextDouble() < malformedFraction;
        for (int i = 0; i < n; i++) {
            values[i] = draw(i, sequence);
        }
        malformed = bad;
        if (bad) {
            truncated = (nextLong() & 1) == 0;
            corruptField = (int) bounded(n);
            cutDraw = nextLong() >>> 1;
        }
        current = true;
    }

    private long draw(int i, long seq) {
        switch (kind[i]) {
            case SEQUENCE:
                return seq;
            case ENUM: {
                double u = nextDouble();
                double[] c = cumulative[i];
                int j = 0;
                while (j < c.length - 1 && u >= c[j]) {
                    j++;
                }
                return j;
            }
            case KEY:
                if (sequentialKey[i]) {
                    return (sequence - 1) % range[i];
                }
                return zipf[i] != null ? zipf[i].sample(uniform) - 1 : bounded(range[i]);
            case LONG:
            case DECIMAL: {
                if (normal[i]) {
                    double u1 = 1.0 - nextDouble();
                    double u2 = nextDouble();
                    double z = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                    double v = Math.rint(mean[i] + z * stddev[i]);
                    double lo = min[i];
                    double hi = min[i] + (range[i] - 1);
                    return v <= lo ? min[i] : v >= hi ? min[i] + (range[i] - 1) : (long) v;
                }
                return min[i] + bounded(range[i]);
            }
            case EVENT_TIME: {
                long t = eventMillis(i, seq);
                if (lateFraction[i] > 0 && nextDouble() < lateFraction[i]) {
                    t -= 1 + bounded(maxDelayMillis[i]);
                }
                return t;
            }
            case TEXT:
                return nextLong();
            default: // SEND_TIME: filled in when written
                return 0;
        }
    }

    /** The nominal (in-order) event time of record {@code seq}: start + (seq−1)·step, in epoch ms. */
    private long eventMillis(int i, long seq) {
        long offsetNanos;
        try {
            offsetNanos = Math.addExact(startNanoRest[i], Math.multiplyExact(seq - 1, stepNanos[i]));
        } catch (ArithmeticException e) {
            return java.math.BigInteger.valueOf(seq - 1).multiply(java.math.BigInteger.valueOf(stepNanos[i]))
                    .add(java.math.BigInteger.valueOf(startNanoRest[i])).divide(java.math.BigInteger.valueOf(1_000_000))
                    .longValueExact() + startMillis[i];
        }
        return startMillis[i] + Math.floorDiv(offsetNanos, 1_000_000L);
    }

    /** Encodes the current record into {@code out} and returns the number of bytes written. */
    public int write(long intendedSendMicros, ByteBuffer out) {
        if (!current) {
            throw new IllegalStateException("no current record");
        }
        int start = out.position();
        for (int i = 0; i < n; i++) {
            out.put(names[i]);
            if (malformed && !truncated && i == corruptField) {
                out.put(BAD_VALUE);
                continue;
            }
            long v = kind[i] == SEND_TIME ? intendedSendMicros : values[i];
            writeValue(i, v, out);
        }
        out.put((byte) '}');
        if (malformed && truncated) {
            // a strict prefix of an object (at least its '{') is never valid JSON
            int len = out.position() - start;
            out.position(start + 1 + (int) (cutDraw % (len - 1)));
        }
        return out.position() - start;
    }

    private void writeValue(int i, long v, ByteBuffer out) {
        switch (kind[i]) {
            case ENUM:
                out.put(quoted[i][(int) v]);
                break;
            case KEY:
                if (prefix[i] != null) {
                    out.put(prefix[i]);
                    writeLong(v, out);
                    out.put((byte) '"');
                } else {
                    writeLong(v, out);
                }
                break;
            case DECIMAL:
                if (asString[i]) {
                    out.put((byte) '"');
                }
                writeDecimal(v, scale[i], pow10[i], out);
                if (asString[i]) {
                    out.put((byte) '"');
                }
                break;
            case EVENT_TIME:
                if (iso[i]) {
                    writeIso(v, out);
                } else {
                    writeLong(v, out);
                }
                break;
            case TEXT:
                out.put((byte) '"');
                writeText(i, v, out);
                out.put((byte) '"');
                break;
            default: // SEQUENCE, LONG, SEND_TIME
                writeLong(v, out);
                break;
        }
    }

    /** The current record's sequence number. */
    public long sequence() {
        return sequence;
    }

    /** Whether the current record is malformed (its bytes are deliberately invalid JSON). */
    public boolean malformed() {
        return malformed;
    }

    /**
     * A field of the current record as a long: the sequence number; the enum value's index; the key's
     * number (0 .. cardinality−1); the long; the decimal's unscaled value at the field's scale; the
     * event time in epoch ms; for text a seed of its letters; 0 for send_time.
     */
    public long value(int field) {
        return values[field];
    }

    /**
     * The current record's Kafka key, the UTF-8 text of the {@code kafka_key} field's value (without
     * JSON quotes), or null when the scenario has none. Enum and low-cardinality keys are shared
     * arrays: do not modify them.
     */
    public byte[] key() {
        if (keyField < 0) {
            return null;
        }
        long v = values[keyField];
        switch (kind[keyField]) {
            case ENUM:
                return raw[keyField][(int) v];
            case KEY: {
                if (keyCache != null && keyCache[(int) v] != null) {
                    return keyCache[(int) v];
                }
                byte[] k = text(keyField, v);
                if (keyCache != null) {
                    keyCache[(int) v] = k;
                }
                return k;
            }
            default:
                return text(keyField, v);
        }
    }

    private byte[] text(int i, long v) {
        ByteBuffer b = ByteBuffer.allocate(maxBytes);
        writeValue(i, v, b);
        int from = 0;
        int to = b.position();
        if (to > 0 && b.get(0) == '"') {
            from = 1;
            to--;
        }
        byte[] out = new byte[to - from];
        b.position(from);
        b.get(out);
        return out;
    }

    /** The generator section this generates. */
    public Generator spec() {
        return spec;
    }

    // ---------------------------------------------------------------- randomness

    /** SplitMix64's finaliser (Stafford's variant 13). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), unbiased (rejects the top of the range that does not divide evenly). */
    private long bounded(long bound) {
        long m = bound - 1;
        long r = nextLong() >>> 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // retry
        }
        return r;
    }

    // ---------------------------------------------------------------- encoding

    private void writeLong(long v, ByteBuffer out) {
        if (v == Long.MIN_VALUE) {
            out.put("-9223372036854775808".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (v < 0) {
            out.put((byte) '-');
            v = -v;
        }
        int p = digits.length;
        do {
            digits[--p] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        out.put(digits, p, digits.length - p);
    }

    private void writeDecimal(long unscaled, int s, long pow, ByteBuffer out) {
        if (unscaled < 0) {
            out.put((byte) '-');
            unscaled = -unscaled;
        }
        writeLong(unscaled / pow, out);
        if (s > 0) {
            out.put((byte) '.');
            long frac = unscaled % pow;
            int p = digits.length;
            for (int d = 0; d < s; d++) {
                digits[--p] = (byte) ('0' + frac % 10);
                frac /= 10;
            }
            out.put(digits, p, s);
        }
    }

    private void writeText(int i, long seed, ByteBuffer out) {
        long x = mix(seed);
        int len = textMin[i] + (int) Long.remainderUnsigned(x, textMax[i] - textMin[i] + 1);
        for (int c = 0; c < len; c++) {
            if (c % 12 == 0) {
                x = mix(seed + (c / 12 + 1) * GOLDEN);
            }
            out.put((byte) ('a' + ((x >>> (5 * (c % 12))) & 31) % 26));
        }
    }

    /** {@code "2026-01-01T00:00:00.000Z"} for epoch ms, without java.time's allocations (Hinnant's civil-from-days). */
    private void writeIso(long millis, ByteBuffer out) {
        long days = Math.floorDiv(millis, 86_400_000L);
        long msOfDay = Math.floorMod(millis, 86_400_000L);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        out.put((byte) '"');
        pad(year, 4, out);
        out.put((byte) '-');
        pad(month, 2, out);
        out.put((byte) '-');
        pad(day, 2, out);
        out.put((byte) 'T');
        pad(msOfDay / 3_600_000, 2, out);
        out.put((byte) ':');
        pad(msOfDay / 60_000 % 60, 2, out);
        out.put((byte) ':');
        pad(msOfDay / 1000 % 60, 2, out);
        out.put((byte) '.');
        pad(msOfDay % 1000, 3, out);
        out.put((byte) 'Z');
        out.put((byte) '"');
    }

    private void pad(long v, int width, ByteBuffer out) {
        if (v < 0) {
            writeLong(v, out);
            return;
        }
        int p = digits.length;
        do {
            digits[--p] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (digits.length - p < width) {
            digits[--p] = '0';
        }
        out.put(digits, p, digits.length - p);
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
