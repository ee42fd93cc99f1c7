package io.velo.codec.protobuf;

import com.google.protobuf.Descriptors;
import io.velo.codec.BytesDecoder;
import io.velo.codec.BytesEncoder;
import io.velo.codec.Format;
import io.velo.codec.FormatContext;
import io.velo.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code 'format' = 'protobuf'}: each Kafka message is one Protobuf message (no framing) of type
 * {@code '<n>.proto.message'} from the file {@code '<n>.proto.file'} (relative to the SQL file). The
 * message name may be full ({@code pkg.Trade}) or simple, and may be left out when the file declares
 * one message.
 */
public final class ProtobufFormat implements Format {
    static final String FILE_KEY = "proto.file";
    static final String MESSAGE_KEY = "proto.message";

    @Override
    public String name() {
        return "protobuf";
    }

    @Override
    public boolean text() {
        return false;
    }

    @Override
    public Schema columns(FormatContext c) {
        return c.get(FILE_KEY) == null ? null : ProtoPlan.columns(message(c));
    }

    @Override
    public BytesDecoder decoder(FormatContext c) {
        return new ProtobufDecoder(c, message(c));
    }

    @Override
    public BytesEncoder encoder(FormatContext c) {
        return new ProtobufEncoder(c, message(c));
    }

    /** The message type a connector reads or writes, from its properties. */
    public static Descriptors.Descriptor message(FormatContext c) {
        String file = c.require(FILE_KEY, "the .proto file describing the messages");
        Path p = c.path(file);
        if (!Files.isRegularFile(p)) {
            throw c.error(FILE_KEY, "Protobuf file '" + file + "' not found (" + p + ")");
        }
        Descriptors.FileDescriptor fd;
        try {
            fd = ProtoFiles.load(p);
        } catch (ProtoFiles.ProtoException e) {
            throw c.error(FILE_KEY, "Protobuf file '" + file + "': " + e.getMessage());
        }
        List<Descriptors.Descriptor> all = new ArrayList<>();
        collect(fd.getMessageTypes(), all);
        String name = c.get(MESSAGE_KEY);
        if (name == null || name.isBlank()) {
            if (fd.getMessageTypes().size() == 1) {
                return fd.getMessageTypes().get(0);
            }
            throw c.error(FILE_KEY, "Protobuf file '" + file + "' declares " + fd.getMessageTypes().size() + " messages: say which with '"
                    + c.connector() + "." + MESSAGE_KEY + "' (" + names(fd.getMessageTypes()) + ")");
        }
        for (Descriptors.Descriptor d : all) {
            if (d.getFullName().equals(name) || d.getName().equals(name)) {
                return d;
            }
        }
        throw c.error(MESSAGE_KEY, "Protobuf file '" + file + "' has no message '" + name + "' (messages: " + names(all) + ")");
    }

    private static void collect(List<Descriptors.Descriptor> ds, List<Descriptors.Descriptor> out) {
        for (Descriptors.Descriptor d : ds) {
            if (!d.getOptions().getMapEntry()) {
                out.add(d);
                collect(d.getNestedTypes(), out);
            }
        }
    }

    private static String names(List<Descriptors.Descriptor> ds) {
        List<String> out = new ArrayList<>();
        ds.forEach(d -> out.add(d.getFullName()));
        return String.join(", ", out);
    }
}
