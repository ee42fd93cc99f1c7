package io.velo.connector.file;

import io.velo.connector.SourceContractTest;
import java.nio.file.Files;
import java.util.List;

/** The source contract for {@link FileSource} over one JSON-lines file (bounded). */
class FileSourceContractTest extends SourceContractTest {
    @Override
    protected void writeInput(String input, List<String> jsonRecords) throws Exception {
        Files.writeString(dir.resolve(input + ".json"), String.join("\n", jsonRecords) + "\n");
    }

    @Override
    protected boolean writeInputWithUnfinishedLastRecord(String input, List<String> jsonRecords) throws Exception {
        Files.writeString(dir.resolve(input + ".json"), String.join("\n", jsonRecords));
        return true;
    }

    @Override
    protected String sourceProperties(String input, String group) {
        return "'src.type' = 'file_source', 'src.path' = '" + input + ".json'";
    }

    @Override
    protected boolean bounded() {
        return true;
    }

    @Override
    protected String withoutPositionsBecause() {
        return "a file has nothing to commit: nothing stores how far a job read it (positions() is null, commit() does nothing), "
                + "so a new source reads it from its first line";
    }

    /** A file record's position is its file and 1-based line. */
    @Override
    protected String positionOf(String input, int index) {
        return input + ".json:" + (index + 1);
    }
}
