package io.velo.config;

import io.velo.sql.ast.Pos;

/** An effective property value and where it came from (for {@code velo check}). */
public record Setting(String key, String value, String origin, Pos pos, Pos keyPos) {
    public Setting(String key, String value, String origin, Pos pos) {
        this(key, value, origin, pos, pos);
    }
}
