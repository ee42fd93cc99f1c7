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
 */
final class CheckedProducer<K, V> extends KafkaProducer<K, V> {
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> first = new AtomicReference<>();

    CheckedProducer(Properties props) {
        super(props);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        sent.incrementAndGet();
        return super.send(record, (md, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                first.compareAndSet(null, e);
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
        if (failed.get() > 0) {
            throw new AssertionError("the test's own producer could not write " + failed.get() + " of " + sent.get() + " records", first.get());
        }
    }
}
