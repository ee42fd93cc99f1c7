package io.velo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.Engine;
import io.velo.sql.SqlException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * YAML property files: a key given twice in one file is an error naming the file and line (whichever
 * was meant cannot be guessed), a file overrides the file it extends, SQL overrides files, and values
 * are taken as written.
 */
class ConfigFilesTest {
    @TempDir
    Path dir;

    private static final String SQL = "CREATE STREAM t (id BIGINT) WITH ('t.type' = 'file_source', 't.config_file' = 'conf/t.yaml');\n"
            + "SELECT id FROM t;";

    private String check(String sql) {
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        return engine.check(sql, dir, List.of());
    }

    private void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // the same key twice in one map
        "path: a.csv\\nformat: csv\\npath: b.csv|conf/t.yaml:3: 'path' is given twice (first at line 1)",
        // a nested map and a dotted key naming one property
        "path: a.csv\\nbatch:\\n  size: 5\\nbatch.size: 6|conf/t.yaml:4: 'batch.size' is given twice (first at line 3)",
        // a bare connector key and the same key with the source's name
        "path: a.csv\\nt.path: b.csv|conf/t.yaml:2: 't.path' is given twice (first at line 1 as 'path')",
        // the error names the file it is in, here the base file
        "extends: base.yaml\\npath: a.csv|conf/base.yaml:2: 'format' is given twice (first at line 1)",
    })
    void aKeyGivenTwiceInOneFileIsAnErrorNamingFileAndLine(String yaml, String message) throws IOException {
        write("conf/t.yaml", yaml.replace("\\n", "\n"));
        write("conf/base.yaml", "format: csv\nformat: json\n");
        SqlException e = assertThrows(SqlException.class, () -> check(SQL));
        assertEquals("cannot load config file 'conf/t.yaml': " + message, e.getMessage());
        assertEquals("1:79", e.pos().toString(), "at the config_file property");
    }

    @Test
    void aFileOverridesItsBaseAndSqlOverridesBoth() throws IOException {
        write("conf/base.yaml", "format: json\nhas_headers: false\npath: base.csv\n");
        write("conf/t.yaml", "extends: base.yaml\nformat: csv\npath: t.csv\n");
        String out = check("CREATE STREAM t (id BIGINT) WITH ('t.type' = 'file_source', 't.config_file' = 'conf/t.yaml', "
                + "'t.path' = 'sql.csv');\nSELECT id FROM t;");
        assertTrue(out.matches("(?s).*t\\.format\\s+= csv\\s+\\(config_file conf/t\\.yaml:2\\).*"), out);
        assertTrue(out.matches("(?s).*t\\.has_headers\\s+= false\\s+\\(config_file conf/base\\.yaml:2\\).*"), out);
        assertTrue(out.matches("(?s).*t\\.path\\s+= sql\\.csv\\s+\\(declared 1:94\\).*"), out);
    }

    @Test
    void badValuesAndUnknownKeysNameTheFileAndLine() throws IOException {
        write("conf/t.yaml", "path: a.csv\nhas_headers: maybe\n");
        SqlException e = assertThrows(SqlException.class, () -> check(SQL));
        assertEquals("property 't.has_headers' must be true or false, got 'maybe' (in config file conf/t.yaml:2)", e.getMessage());
        write("conf/t.yaml", "path: a.csv\n\nformt: csv\n");
        e = assertThrows(SqlException.class, () -> check(SQL));
        assertEquals("unknown property 't.formt' for 't' (did you mean 't.format'?) (in config file conf/t.yaml:3)", e.getMessage());
        write("conf/t.yaml", "- path\n");
        e = assertThrows(SqlException.class, () -> check(SQL));
        assertEquals("cannot load config file 'conf/t.yaml': conf/t.yaml:1: a config file must hold a map of properties", e.getMessage());
    }

    @Test
    void scalarsAreTakenAsWritten() throws IOException {
        write("conf/t.yaml", "type: kafka_source\ntopic: 007\nkafka.client.id: 1.50\n");
        String out = check("SELECT id FROM t WITH ('t.config_file' = 'conf/t.yaml', 't.schema' = 'id BIGINT');");
        assertTrue(out.matches("(?s).*t\\.topic\\s+= 007 .*"), out);
        assertTrue(out.matches("(?s).*t\\.kafka\\.client\\.id\\s+= 1\\.50 .*"), out);
    }
}
