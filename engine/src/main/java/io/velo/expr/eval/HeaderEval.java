package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@code HEADER(name)}: the last header of that name of the row's source record (a Kafka record's),
 * decoded as UTF-8 text; NULL when the record has no such header, its value is null, or the source
 * keeps no headers (files). Bytes that are not valid UTF-8 are a record error 22021.
 */
public final class HeaderEval extends Eval {
    private final Eval name;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    public HeaderEval(Eval name) {
        super(DataType.STRING);
        this.name = name;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        isNull = true;
        o = null;
        if (b == null || b.headerReader == null) {
            return;
        }
        Object headers = b.headers[row];
        if (headers == null) {
            return;
        }
        name.eval(b, row);
        if (name.isNull) {
            return;
        }
        byte[] value = b.headerReader.lastValue(headers, (String) name.o);
        if (value == null) {
            return;
        }
        o = decode(value);
        isNull = false;
    }

    private String decode(byte[] value) {
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(value));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new RecordError(RecordError.INVALID_ENCODING, "header '" + name.o + "' is not valid UTF-8");
        }
    }
}
