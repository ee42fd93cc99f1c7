package io.velo.config;

import java.util.List;

/**
 * One documented property: key, type, default and text. {@code strategy} ties a batch key to the
 * batch strategy it belongs to (keys of another strategy are rejected).
 */
public record PropertyDef(String key, PropertyType type, String defaultValue, List<String> choices, String strategy, String doc) {
}
