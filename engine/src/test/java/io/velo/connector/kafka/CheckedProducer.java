package io.velo.connector.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The tests' own producer: every send's result is looked at, and {@link #flush} and {@link #close}
 * fail if the producer gave up on any record. Without it a record the test never managed to write
 * (a batch expired on a loaded machine) looks like input the engine lost.
 *
 * <p>Records it gave up on are sent again, once or twice, through a fresh producer (a plain one:
 * not for a transactional producer, whose failures only fail) before {@code flush} or {@code close}
 * fails, and the resend is said on stderr: the embedded broker now and then leaves one produce
 * request of a freshly created partition unanswered until the delivery timeout, which a new
 * connection does not meet. A resent record lands after the records sent after it, so a test that
 * depends on the order within a partition sees the line on stderr beside its failure.
 */
final class CheckedProducer<K, V> extends KafkaProducer<K, V> {
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> first = new AtomicReference<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<ProducerRecord<K, V>> toResend = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Properties props;
    private final boolean transactional;

    CheckedProducer(Properties props) {
        super(props);
        this.props = (Properties) props.clone();
        this.transactional = props.containsKey(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        sent.incrementAndGet();
        return super.send(record, (md, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                first.compareAndSet(null, e);
                toResend.add(record);
            }
            if (callback != null) {
                callback.onCompletion(md, e);
            }
        });
    }

    @Override
    public void flush() {
        super.flush();
        check();
    }

    @Override
    public void close(Duration timeout) {
        super.close(timeout); // waits for what is in flight, so every callback has run
        check();
    }

    private void check() {
        for (int round = 1; round <= 2 && failed.get() > 0 && !transactional; round++) {
            resend(round);
        }
        if (failed.get() > 0) {
            throw new AssertionError("the test's own producer could not write " + failed.get() + " of " + sent.get() + " records", first.get());
        }
    }

    /** Sends what failed again through a new producer and waits for it; what fails again stays failed. */
    private void resend(int round) {
        java.util.List<ProducerRecord<K, V>> again = new java.util.ArrayList<>();
        for (ProducerRecord<K, V> r; (r = toResend.poll()) != null; ) {
            again.add(r);
        }
        System.err.println("CheckedProducer: resending " + again.size() + " record(s) the producer gave up on (round " + round + "): "
                + first.get());
        AtomicLong failedAgain = new AtomicLong();
        try (KafkaProducer<K, V> p = new KafkaProducer<>(props)) {
            for (ProducerRecord<K, V> r : again) {
                p.send(r, (md, e) -> {
                    if (e != null) {
                        failedAgain.incrementAndGet();
                        toResend.add(r);
                    }
                });
            }
            p.flush();
        }
        failed.set(failedAgain.get());
    }
}
