package io.velo.connector.file;

/**
 * The source contract for a watched {@link FileSource} ({@code 'watch' = 'true'}): unbounded, idle at
 * the end of the file until more lines are appended.
 */
class WatchedFileSourceContractTest extends FileSourceContractTest {
    @Override
    protected String sourceProperties(String input, String group) {
        return super.sourceProperties(input, group) + ", 'src.watch' = 'true'";
    }

    @Override
    protected boolean bounded() {
        return false;
    }
}
