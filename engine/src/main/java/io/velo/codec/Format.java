package io.velo.codec;

/**
 * A record format, found by its {@code '<name>.format'} name in {@link Formats}. It checks its own
 * properties when the job is planned ({@code velo check}: a mistake is a positioned SqlException) and
 * builds the byte decoder a message source uses and the byte encoder a message sink uses. Text
 * formats also give the line encoder file sinks use.
 */
public interface Format {
    /** The {@code '<name>.format'} value. */
    String name();

    /** Whether records are lines of text (readable and writable by the file connector). */
    boolean text();

    BytesDecoder decoder(FormatContext c);

    /**
     * The columns a source of this format has when none are declared (a schema-carrying format), or
     * null when the columns must be declared.
     */
    default io.velo.types.Schema columns(FormatContext c) {
        return null;
    }

    BytesEncoder encoder(FormatContext c);

    /** The line encoder of a text format (file sinks, standard output); null for binary formats. */
    default Encoder textEncoder(FormatContext c, boolean fileHeader) {
        return null;
    }
}
