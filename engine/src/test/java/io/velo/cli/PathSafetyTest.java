package io.velo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Path safety (SPEC §6): a script whose sink or dead-letter file would destroy a file it reads or
 * writes elsewhere is refused before anything runs (exit 2, at the property), and every input is
 * left as it was.
 */
class PathSafetyTest {
    @TempDir
    Path dir;

    private static final String CSV = "id,v\n1,10\n2,20\n";

    private static VeloCli.Result velo(String... args) {
        return VeloCli.run(args);
    }

    private Path write(String name, String text) throws IOException {
        return VeloCli.write(dir, name, text);
    }

    private static String job(String sinkPath, String extra) {
        return "CREATE STREAM o AS SELECT id, v FROM t\n"
                + "WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv',\n"
                + "      'o.type' = 'file_sink', 'o.path' = '" + sinkPath + "', 'o.format' = 'csv'" + extra + ");\n";
    }

    /** Runs {@code run} and {@code check}: both refuse with exit 2 and a positioned error; the input stays. */
    private String refused(Path sql) throws IOException {
        String before = Files.readString(dir.resolve("data/in.csv"));
        VeloCli.Result check = velo("check", sql.toString());
        assertEquals(2, check.code(), check.err());
        VeloCli.Result run = velo("run", sql.toString());
        assertEquals(2, run.code(), run.err());
        assertEquals(check.err(), run.err());
        assertTrue(run.err().startsWith(sql + ":"), run.err());
        assertTrue(!run.err().contains("Exception"), run.err());
        assertEquals(before, Files.readString(dir.resolve("data/in.csv")), "the input must be untouched");
        return run.err();
    }

    @ParameterizedTest
    @ValueSource(strings = {"data/in.csv", "./data/in.csv", "data/sub/../in.csv", "./data/../data/./in.csv", "DIR/data/in.csv"})
    void aSinkOnItsOwnSourceIsRefusedWithOrWithoutAppend(String sinkPath) throws IOException {
        write("data/in.csv", CSV);
        String path = sinkPath.replace("DIR", dir.toString());
        for (String append : new String[] {"", ", 'o.append' = 'true'"}) {
            Path sql = write("j.sql", job(path, append));
            String err = refused(sql);
            int col = "      'o.type' = 'file_sink', 'o.path' = ".length() + 1;
            assertTrue(err.startsWith(sql + ":3:" + col + ": error: 'o.path' = '" + path + "' is the file this statement reads as 't.path'"), err);
            assertTrue(err.contains("writing it would destroy that input"), err);
        }
        assertTrue(!Files.exists(dir.resolve("data/sub")), "nothing may be created before the script is refused");
    }

    @Test
    void aSinkOrDeadLetterFileOnTheScriptItselfIsRefused() throws IOException {
        write("data/in.csv", CSV);
        for (String target : new String[] {"j.sql", "./data/../j.sql"}) {
            Path sql = write("j.sql", job(target, ""));
            String script = Files.readString(sql);
            String err = refused(sql);
            assertTrue(err.contains("'o.path' = '" + target + "' is the SQL script itself"), err);
            assertEquals(script, Files.readString(sql), "the script must be untouched");
        }
        Path sql = write("j.sql", job("out/o.csv", ", 'failure_strategy' = 'SendToDLQ', 'dlq.path' = 'j.sql'"));
        String err = refused(sql);
        assertTrue(err.contains("'dlq.path' = 'j.sql' is the SQL script itself"), err);
    }

    @Test
    void aSinkThroughASymbolicLinkIsRefused() throws IOException {
        write("data/in.csv", CSV);
        Files.createSymbolicLink(dir.resolve("link.csv"), dir.resolve("data/in.csv"));
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("data"));
        Files.createDirectories(dir.resolve("other"));
        Files.createSymbolicLink(dir.resolve("other/up"), Path.of(".."));
        for (String sinkPath : new String[] {"link.csv", "alias/in.csv", "other/up/data/in.csv", "alias/../data/in.csv"}) {
            String err = refused(write("j.sql", job(sinkPath, "")));
            assertTrue(err.contains("'o.path' = '" + sinkPath + "' is the file this statement reads as 't.path' = 'data/in.csv'"), err);
        }
        // a source read through a link is the same file as the sink written directly
        Path sql = write("j.sql", job("data/in.csv", "").replace("'t.path' = 'data/in.csv'", "'t.path' = 'link.csv'"));
        assertTrue(refused(sql).contains("'o.path' = 'data/in.csv' is the file this statement reads as 't.path' = 'link.csv'"));
    }

    @Test
    void aDanglingLinkIsFollowedToWhereTheWriteWouldLand() throws IOException {
        write("data/in.csv", CSV);
        Files.createSymbolicLink(dir.resolve("dangling.json"), dir.resolve("out/o.json"));
        Path sql = write("j.sql", job("out/o.json", "") + job("dangling.json", "").replace("STREAM o", "STREAM p").replace("'o.", "'p."));
        String err = refused(sql);
        assertTrue(err.contains("'p.path' = 'dangling.json' is also written by the statement at 3:"), err);
    }

    @Test
    void aHardLinkToTheSourceIsRefused() throws IOException {
        write("data/in.csv", CSV);
        Files.createLink(dir.resolve("hard.csv"), dir.resolve("data/in.csv"));
        assertTrue(refused(write("j.sql", job("hard.csv", ""))).contains("'o.path' = 'hard.csv' is the file this statement reads"));
    }

    @Test
    void aGlobSourceMatchingItsSinkIsRefused() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", job("data/out.csv", "").replace("'t.path' = 'data/in.csv'", "'t.path' = 'data/*.csv'"));
        String err = refused(sql);
        assertTrue(err.contains("'o.path' = 'data/out.csv' matches the glob 'data/*.csv' that this statement reads as 't.path': writing there would destroy or feed back"), err);
        assertTrue(!Files.exists(dir.resolve("data/out.csv")));
        // matched also through a linked directory, for a file that does not exist yet
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("data"));
        assertTrue(refused(write("j.sql", job("alias/new.csv", "").replace("'t.path' = 'data/in.csv'", "'t.path' = 'data/*.csv'")))
                .contains("matches the glob"));
        // a glob that does not match the sink's name is fine
        Path ok = write("j.sql", job("data/out.json", "").replace("'t.path' = 'data/in.csv'", "'t.path' = 'data/*.csv'"));
        VeloCli.Result r = velo("run", ok.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aDeadLetterFileOnTheSourceOrTheSinkIsRefused() throws IOException {
        write("data/in.csv", CSV);
        String dlq = ", 'failure_strategy' = 'SendToDLQ', 'dlq.path' = '%s'";
        String err = refused(write("j.sql", job("out/o.csv", String.format(dlq, "data/../data/in.csv"))));
        assertTrue(err.contains(":3:") && err.contains("error: 'dlq.path' = 'data/../data/in.csv' is the file this statement reads as 't.path'"), err);
        err = refused(write("j.sql", job("out/o.csv", String.format(dlq, "./out/o.csv"))));
        assertTrue(err.contains("error: 'dlq.path' = './out/o.csv' is also written by this statement as 'o.path' = 'out/o.csv'"), err);
        // a dead-letter file set without SendToDLQ is still a file the job may write: refused all the same
        err = refused(write("j.sql", job("out/o.csv", ", 'dlq.path' = 'data/in.csv'")));
        assertTrue(err.contains("'dlq.path' = 'data/in.csv' is the file this statement reads"), err);
    }

    @Test
    void twoStatementsWritingOnePathAreRefused() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", job("out/o.csv", "") + job("out/sub/../o.csv", "").replace("STREAM o", "STREAM p").replace("'o.", "'p."));
        String err = refused(sql);
        int col = "      'o.type' = 'file_sink', 'o.path' = ".length() + 1;
        assertTrue(err.startsWith(sql + ":6:" + col + ": error: 'p.path' = 'out/sub/../o.csv' is also written by the statement at 3:" + col
                + " as 'o.path' = 'out/o.csv': one would overwrite the other"), err);
        // also with append, and for one dead-letter file shared by two statements
        sql = write("j.sql", job("out/o.csv", ", 'o.append' = 'true'") + job("out/o.csv", ", 'p.append' = 'true'")
                .replace("STREAM o", "STREAM p").replace("'o.", "'p."));
        assertTrue(refused(sql).contains("'p.path' = 'out/o.csv' is also written by the statement at 3:"));
        sql = write("j.sql", job("out/o.csv", ", 'dlq.path' = 'out/dlq.jsonl'") + job("out/p.csv", ", 'dlq.path' = 'out/dlq.jsonl'")
                .replace("STREAM o", "STREAM p").replace("'o.", "'p."));
        assertTrue(refused(sql).contains("'dlq.path' = 'out/dlq.jsonl' is also written by the statement at 3:"));
    }

    @Test
    void twoInsertsIntoOneDeclaredStreamAreRefusedAtTheSecondStatement() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "CREATE STREAM sink (id BIGINT) WITH ('sink.type' = 'file_sink', 'sink.path' = 'out/s.json');\n"
                + "INSERT INTO sink SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv');\n"
                + "INSERT INTO sink SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv');\n");
        String err = refused(sql);
        assertTrue(err.startsWith(sql + ":3:13: error: 'sink.path' = 'out/s.json' is also written by the statement at 2:13"), err);
    }

    @Test
    void aLaterStatementMayNotOverwriteWhatAnEarlierOneRead() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", job("out/o.csv", "")
                + "CREATE STREAM p AS SELECT id FROM o WITH ('p.type' = 'file_sink', 'p.path' = 'data/in.csv');\n");
        String err = refused(sql);
        assertTrue(err.startsWith(sql + ":4:"), err);
        assertTrue(err.contains("'p.path' = 'data/in.csv' is the file an earlier statement (at 2:"), err);
        assertTrue(!Files.exists(dir.resolve("out/o.csv")), "the first statement must not have run");
    }

    @Test
    void aLaterStatementReadingWhatAnEarlierOneWroteStillRuns() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", job("out/o.csv", "")
                + "CREATE STREAM p AS SELECT id FROM o WITH ('p.type' = 'file_sink', 'p.path' = 'out/p.json');\n"
                + "CREATE STREAM q AS SELECT id FROM u WITH ('u.type' = 'file_source', 'u.path' = 'out/./o.csv', 'u.format' = 'csv', "
                + "'u.schema' = 'id BIGINT, v BIGINT', 'q.type' = 'file_sink', 'q.path' = 'out/q.json');\n");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1}\n{\"id\":2}\n", Files.readString(dir.resolve("out/p.json")));
        assertEquals("{\"id\":1}\n{\"id\":2}\n", Files.readString(dir.resolve("out/q.json")));
    }

    @Test
    void anExplainedStatementIsCheckedButWritesNothing() throws IOException {
        write("data/in.csv", CSV);
        String insert = "INSERT INTO sink SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv');\n";
        Path sql = write("j.sql", "CREATE STREAM sink (id BIGINT) WITH ('sink.type' = 'file_sink', 'sink.path' = 'out/s.json');\n"
                + "EXPLAIN " + insert + insert);
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1}\n{\"id\":2}\n", Files.readString(dir.resolve("out/s.json")));
        assertTrue(refused(write("j.sql", "EXPLAIN " + job("data/in.csv", ""))).contains("is the file this statement reads"));
    }

    @Test
    void aSinkOverAConfigFileIsRefused() throws IOException {
        write("data/in.csv", CSV);
        write("conf/t.yaml", "type: file_source\npath: data/in.csv\nformat: csv\n");
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT id FROM t WITH ('t.config_file' = 'conf/t.yaml', "
                + "'o.type' = 'file_sink', 'o.path' = 'conf/t.yaml');\n");
        String err = refused(sql);
        assertTrue(err.contains("'o.path' = 'conf/t.yaml' is the file this statement reads as 't.config_file'"), err);
    }
}
