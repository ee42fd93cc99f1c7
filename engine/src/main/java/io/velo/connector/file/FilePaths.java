package io.velo.connector.file;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/** Resolves a file source path, which may be a glob ({@code data/trades-*.csv}), to sorted files. */
public final class FilePaths {
    private FilePaths() {
    }

    public static boolean isGlob(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0 || path.indexOf('{') >= 0;
    }

    public static List<Path> expand(Path baseDir, String path) throws IOException {
        if (!isGlob(path)) {
            Path p = baseDir.resolve(path);
            return Files.isRegularFile(p) ? List.of(p) : List.of();
        }
        Path full = baseDir.resolve(path);
        // walk from the deepest directory without wildcards
        Path root = full.getRoot() == null ? Path.of("") : full.getRoot();
        Path dir = root;
        int i = 0;
        for (; i < full.getNameCount(); i++) {
            String part = full.getName(i).toString();
            if (isGlob(part)) {
                break;
            }
            dir = dir.resolve(part);
        }
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + full.toString());
        List<Path> out = new ArrayList<>();
        int depth = full.getNameCount() - i;
        try (Stream<Path> s = Files.walk(dir, depth)) {
            s.filter(Files::isRegularFile).filter(m::matches).forEach(out::add);
        }
        Collections.sort(out);
        return out;
    }
}
