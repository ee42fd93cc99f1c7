package io.velo.harness.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node and mapping key keeps its line and column, built with a
 * streaming walk of Jackson's YAML parser (a data-bound tree loses positions, and errors must point at
 * the offending key). Scalars keep their source text and whether YAML typed them as a number, a boolean,
 * null or a string, so {@code "1"} (a string) and {@code 1} (a number) stay distinguishable.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {
    }

    /** A node; {@code line}/{@code col} are 1-based and point at the node's first character. */
    abstract static class Node {
        final int line;
        final int col;

        Node(int line, int col) {
            this.line = line;
            this.col = col;
        }

        abstract String kind();
    }

    /** A mapping key with its position and value. */
    static final class Entry {
        final String key;
        final int line;
        final int col;
        final Node value;

        Entry(String key, int line, int col, Node value) {
            this.key = key;
            this.line = line;
            this.col = col;
            this.value = value;
        }
    }

    static final class MapNode extends Node {
        final Map<String, Entry> entries = new LinkedHashMap<>();

        MapNode(int line, int col) {
            super(line, col);
        }

        Entry entry(String key) {
            return entries.get(key);
        }

        @Override
        String kind() {
            return "a mapping";
        }
    }

    static final class ListNode extends Node {
        final List<Node> items = new ArrayList<>();

        ListNode(int line, int col) {
            super(line, col);
        }

        @Override
        String kind() {
            return "a list";
        }
    }

    static final class Scalar extends Node {
        final JsonToken token;
        final String text;

        Scalar(int line, int col, JsonToken token, String text) {
            super(line, col);
            this.token = token;
            this.text = text;
        }

        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isNumber() {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        }

        boolean isBoolean() {
            return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
        }

        @Override
        String kind() {
            if (isNull()) {
                return "null";
            }
            if (isNumber()) {
                return "a number";
            }
            return isBoolean() ? "a boolean" : "a string";
        }
    }

    /** A YAML syntax error or a duplicate key, with its position. */
    static final class SyntaxError extends Exception {
        final int line;
        final int col;

        SyntaxError(int line, int col, String message) {
            super(message, null, false, false);
            this.line = line;
            this.col = col;
        }
    }

    /** Parses one YAML document; returns null for an empty document. */
    static Node parse(String text) throws SyntaxError {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            Node root = read(p, t);
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            // snakeyaml's message spans lines: context and problem unindented, each followed by an indented
            // position, source line and caret; keep the unindented ones
            StringBuilder msg = new StringBuilder();
            for (String l : e.getOriginalMessage().split("\\R")) {
                if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) {
                    msg.append(msg.length() == 0 ? "" : "; ").append(l.trim());
                }
            }
            return fail(loc == null ? 1 : Math.max(1, loc.getLineNr()), loc == null ? 1 : Math.max(1, loc.getColumnNr()),
                    "YAML syntax error: " + msg);
        } catch (IOException e) {
            return fail(1, 1, "cannot read YAML: " + e.getMessage());
        }
    }

    private static Node fail(int line, int col, String message) throws SyntaxError {
        throw new SyntaxError(line, col, message);
    }

    private static Node read(JsonParser p, JsonToken t) throws IOException, SyntaxError {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        switch (t) {
            case START_OBJECT: {
                MapNode map = new MapNode(line, col);
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    JsonLocation kl = p.currentTokenLocation();
                    String key = p.currentName();
                    Node value = read(p, p.nextToken());
                    if (map.entries.containsKey(key)) {
                        fail(kl.getLineNr(), kl.getColumnNr(), "duplicate key '" + key + "' (first at line "
                                + map.entries.get(key).line + ")");
                    }
                    map.entries.put(key, new Entry(key, kl.getLineNr(), kl.getColumnNr(), value));
                }
                return map;
            }
            case START_ARRAY: {
                ListNode list = new ListNode(line, col);
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    list.items.add(read(p, i));
                }
                return list;
            }
            case VALUE_NULL:
                return new Scalar(line, col, t, null);
            default:
                return new Scalar(line, col, t, p.getText());
        }
    }
}
