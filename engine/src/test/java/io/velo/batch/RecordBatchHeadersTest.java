package io.velo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Headers travel with their rows wherever an operator copies rows, and a reset batch has none. */
class RecordBatchHeadersTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("id", DataType.BIGINT)));
    private static final HeaderReader READER = (h, name) -> null;

    private static RecordBatch withHeaders() {
        RecordBatch b = new RecordBatch(SCHEMA, 4, null);
        for (int i = 0; i < 3; i++) {
            b.headers[i] = "h" + i;
        }
        b.headerReader = READER;
        b.size = 3;
        return b;
    }

    @Test
    void copiesGathersAndViewsCarryHeaders() {
        RecordBatch from = withHeaders();
        RecordBatch copy = new RecordBatch(SCHEMA, 4, null);
        copy.copySystemColumns(from, 2, 0);
        assertEquals("h2", copy.headers[0]);
        assertSame(READER, copy.headerReader);

        RecordBatch gathered = new RecordBatch(SCHEMA, 4, null);
        gathered.gatherSystemColumns(from, new int[] {2, 0}, 2);
        assertEquals("h2", gathered.headers[0]);
        assertEquals("h0", gathered.headers[1]);
        assertSame(READER, gathered.headerReader);
        RecordBatch all = new RecordBatch(SCHEMA, 4, null);
        all.gatherSystemColumns(from, null, 3);
        assertEquals("h1", all.headers[1]);

        RecordBatch view = RecordBatch.view(SCHEMA);
        view.showColumns(from, new int[] {0});
        assertEquals("h1", view.headers[1]);
        assertSame(READER, view.headerReader);
    }

    @Test
    void aResetBatchHasNoHeaders() {
        RecordBatch b = withHeaders();
        b.reset();
        assertNull(b.headers[0]);
        assertNull(b.headerReader);
    }
}
