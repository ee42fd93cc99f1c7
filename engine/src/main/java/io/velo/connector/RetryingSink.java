package io.velo.connector;

import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.failure.JobFailedException;
import java.io.PrintStream;

/**
 * {@code RetryWithBackoff} for sinks: a flush that fails (disk full, file locked, broker down) is
 * retried up to {@code max_retries} times, waiting {@code retry_backoff} and doubling it each time;
 * then the failure stands and the job fails. Rows stay buffered in the sink until a flush succeeds,
 * and the {@link Sink} contract (a failed write took no rows, a flush after a failed one writes what
 * is not yet written, once) makes each retry add every row exactly once.
 */
public final class RetryingSink implements Sink {
    private final Sink inner;
    private final int maxRetries;
    private final long backoffMillis;
    private final PrintStream log;
    private long retries;

    public RetryingSink(Sink inner, int maxRetries, long backoffMillis, PrintStream log) {
        this.inner = inner;
        this.maxRetries = maxRetries;
        this.backoffMillis = backoffMillis;
        this.log = log;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void open() {
        withRetries("open", inner::open);
    }

    @Override
    public int write(RecordBatch batch) {
        int[] n = new int[1];
        withRetries("write", () -> n[0] = inner.write(batch));
        return n[0];
    }

    @Override
    public void flush() {
        withRetries("flush", inner::flush);
    }

    @Override
    public void close() {
        withRetries("close", inner::close);
    }

    private void withRetries(String what, Runnable action) {
        long wait = backoffMillis;
        for (int attempt = 0; ; attempt++) {
            try {
                action.run();
                return;
            } catch (JobFailedException e) {
                if (attempt >= maxRetries) {
                    throw new JobFailedException(e.getMessage() + " (after " + maxRetries + " retries)", e);
                }
                retries++;
                log.println("sink '" + inner.name() + "': " + what + " failed (" + e.getMessage() + "), retry "
                        + (attempt + 1) + "/" + maxRetries + " in " + wait + "ms");
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = Math.min(wait * 2, 60_000);
            }
        }
    }

    public long retries() {
        return retries;
    }

    @Override
    public String describe() {
        return inner.describe() + " [RetryWithBackoff " + maxRetries + "x from " + backoffMillis + "ms]";
    }
}
