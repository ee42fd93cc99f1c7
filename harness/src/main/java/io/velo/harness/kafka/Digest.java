package io.velo.harness.kafka;

/**
 * An order-independent summary of a set of messages: how many, and the sum (mod 2^64) of a 64-bit hash
 * of each message's bytes. A sum, not an XOR, so a duplicated message changes it as a lost one does.
 */
public final class Digest {
    private long count;
    private long sum;

    public void add(byte[] message) {
        count++;
        sum += hash(message);
    }

    public long count() {
        return count;
    }

    public long checksum() {
        return sum;
    }

    public boolean sameAs(Digest other) {
        return count == other.count && sum == other.sum;
    }

    /** FNV-1a over the bytes, then MurmurHash3's 64-bit finaliser so nearby messages spread over all bits. */
    static long hash(byte[] b) {
        long h = 0xcbf29ce484222325L;
        for (byte x : b) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53a87d9L;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public String toString() {
        return String.format("%,d messages, checksum %016x", count, sum);
    }
}
