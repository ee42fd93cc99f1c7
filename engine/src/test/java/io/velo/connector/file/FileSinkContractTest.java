package io.velo.connector.file;

import io.velo.connector.SinkContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The sink contract for {@link FileSink} writing JSON lines; not transactional. */
class FileSinkContractTest extends SinkContractTest {
    @Override
    protected String sinkProperties(String output) {
        return "'out.type' = 'file_sink', 'out.path' = '" + output + ".json'";
    }

    /** The file's complete lines: what a reader sees once the sink has flushed. */
    @Override
    protected List<String> readBack(String output, int expected) throws Exception {
        Path file = dir.resolve(output + ".json");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Override
    protected boolean transactional() {
        return false;
    }
}
