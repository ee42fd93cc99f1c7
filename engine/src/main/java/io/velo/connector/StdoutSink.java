package io.velo.connector;

import io.velo.batch.RecordBatch;
import io.velo.codec.Encoder;
import io.velo.connector.spi.Sink;
import java.io.PrintStream;

/** Results of an ad-hoc SELECT: one JSON object per line on standard output. */
public final class StdoutSink implements Sink {
    private final PrintStream out;
    private final Encoder encoder;
    private final StringBuilder sb = new StringBuilder();

    public StdoutSink(PrintStream out, Encoder encoder) {
        this.out = out;
        this.encoder = encoder;
    }

    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public void open() {
    }

    @Override
    public int write(RecordBatch batch) {
        int n = batch.liveCount();
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            encoder.encode(batch, batch.liveRow(i), sb);
            out.println(sb);
        }
        return n;
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }

    @Override
    public String describe() {
        return "stdout (json lines)";
    }
}
