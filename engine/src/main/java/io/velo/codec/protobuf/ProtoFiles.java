package io.velo.codec.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors;
import com.squareup.wire.Syntax;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.internal.parser.EnumConstantElement;
import com.squareup.wire.schema.internal.parser.EnumElement;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import com.squareup.wire.schema.internal.parser.TypeElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code .proto} text into protobuf-java descriptors: Wire's {@link ProtoParser} reads the text
 * (with line:column errors), this class rewrites its elements as a {@link FileDescriptorProto}
 * (messages, nested types, enums, oneofs, proto3 {@code optional}, maps), and
 * {@link Descriptors.FileDescriptor#buildFrom} resolves type names and validates. Imports are read
 * relative to the importing file; Google's well-known types come from protobuf-java itself.
 */
final class ProtoFiles {
    /** A .proto problem; the format positions it at its property. */
    static final class ProtoException extends Exception {
        ProtoException(String message) {
            super(message);
        }
    }

    private static final Map<String, Descriptors.FileDescriptor> WELL_KNOWN = Map.of(
            "google/protobuf/timestamp.proto", com.google.protobuf.TimestampProto.getDescriptor(),
            "google/protobuf/duration.proto", com.google.protobuf.DurationProto.getDescriptor(),
            "google/protobuf/wrappers.proto", com.google.protobuf.WrappersProto.getDescriptor(),
            "google/protobuf/empty.proto", com.google.protobuf.EmptyProto.getDescriptor(),
            "google/protobuf/struct.proto", com.google.protobuf.StructProto.getDescriptor(),
            "google/protobuf/any.proto", com.google.protobuf.AnyProto.getDescriptor());

    private final Map<String, Descriptors.FileDescriptor> loaded = new HashMap<>();

    static Descriptors.FileDescriptor load(Path file) throws ProtoException {
        return new ProtoFiles().load(file, file.getFileName().toString(), 0);
    }

    private Descriptors.FileDescriptor load(Path file, String name, int depth) throws ProtoException {
        Descriptors.FileDescriptor done = loaded.get(name);
        if (done != null) {
            return done;
        }
        if (depth > 32) {
            throw new ProtoException("imports nest deeper than 32 files (a cycle?) at '" + name + "'");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ProtoException("cannot read '" + file + "': " + e.getMessage());
        }
        ProtoFileElement el;
        try {
            el = ProtoParser.Companion.parse(Location.Companion.get(file.toString()), text);
        } catch (RuntimeException e) {
            throw new ProtoException(String.valueOf(e.getMessage()));
        }
        List<Descriptors.FileDescriptor> deps = new ArrayList<>();
        for (String imp : el.getImports()) {
            Descriptors.FileDescriptor wk = WELL_KNOWN.get(imp);
            if (wk != null) {
                deps.add(wk);
                continue;
            }
            Path p = file.resolveSibling(imp);
            if (!Files.isRegularFile(p)) {
                throw new ProtoException("'" + name + "' imports '" + imp + "', which is not found (looked for " + p + ")");
            }
            deps.add(load(p, imp, depth + 1));
        }
        for (String imp : el.getPublicImports()) {
            throw new ProtoException("'" + name + "': public imports ('" + imp + "') are not supported");
        }
        boolean proto3 = el.getSyntax() == Syntax.PROTO_3;
        FileDescriptorProto.Builder f = FileDescriptorProto.newBuilder().setName(name).setSyntax(proto3 ? "proto3" : "proto2");
        if (el.getPackageName() != null) {
            f.setPackage(el.getPackageName());
        }
        f.addAllDependency(el.getImports());
        for (TypeElement t : el.getTypes()) {
            if (t instanceof MessageElement m) {
                f.addMessageType(message(m, proto3));
            } else if (t instanceof EnumElement e) {
                f.addEnumType(enumType(e));
            }
        }
        try {
            Descriptors.FileDescriptor fd = Descriptors.FileDescriptor.buildFrom(f.build(), deps.toArray(new Descriptors.FileDescriptor[0]));
            loaded.put(name, fd);
            return fd;
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ProtoException("'" + name + "': " + e.getMessage());
        }
    }

    private static DescriptorProto message(MessageElement m, boolean proto3) throws ProtoException {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(m.getName());
        if (!m.getGroups().isEmpty()) {
            throw new ProtoException("message '" + m.getName() + "': groups are not supported");
        }
        for (FieldElement fe : m.getFields()) {
            b.addField(field(b, fe, proto3, -1));
        }
        for (OneOfElement o : m.getOneOfs()) {
            int index = b.getOneofDeclCount();
            b.addOneofDecl(OneofDescriptorProto.newBuilder().setName(o.getName()));
            for (FieldElement fe : o.getFields()) {
                b.addField(field(b, fe, proto3, index));
            }
        }
        // proto3 `optional`: a synthetic oneof per field, after the real ones (as protoc does)
        for (int i = 0; i < b.getFieldCount(); i++) {
            FieldDescriptorProto fd = b.getField(i);
            if (fd.getProto3Optional()) {
                int index = b.getOneofDeclCount();
                b.addOneofDecl(OneofDescriptorProto.newBuilder().setName("_" + fd.getName()));
                b.setField(i, fd.toBuilder().setOneofIndex(index));
            }
        }
        for (TypeElement t : m.getNestedTypes()) {
            if (t instanceof MessageElement nm) {
                b.addNestedType(message(nm, proto3));
            } else if (t instanceof EnumElement e) {
                b.addEnumType(enumType(e));
            }
        }
        return b.build();
    }

    private static FieldDescriptorProto field(DescriptorProto.Builder owner, FieldElement fe, boolean proto3, int oneof) {
        FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(fe.getName()).setNumber(fe.getTag());
        com.squareup.wire.schema.Field.Label label = fe.getLabel();
        String type = fe.getType().trim();
        if (type.startsWith("map<")) {
            String[] kv = type.substring(4, type.length() - 1).split(",", 2);
            String entry = camel(fe.getName()) + "Entry";
            DescriptorProto.Builder e = DescriptorProto.newBuilder().setName(entry).setOptions(MessageOptions.newBuilder().setMapEntry(true));
            e.addField(typed(FieldDescriptorProto.newBuilder().setName("key").setNumber(1), kv[0].trim())
                    .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL));
            e.addField(typed(FieldDescriptorProto.newBuilder().setName("value").setNumber(2), kv[1].trim())
                    .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL));
            owner.addNestedType(e);
            return f.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED).setTypeName(entry).build();
        }
        typed(f, type);
        if (label == com.squareup.wire.schema.Field.Label.REPEATED) {
            f.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
        } else if (label == com.squareup.wire.schema.Field.Label.REQUIRED) {
            f.setLabel(FieldDescriptorProto.Label.LABEL_REQUIRED);
        } else {
            f.setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
            if (proto3 && label == com.squareup.wire.schema.Field.Label.OPTIONAL) {
                f.setProto3Optional(true);
            }
        }
        if (oneof >= 0) {
            f.setOneofIndex(oneof);
        }
        if (fe.getDefaultValue() != null && !proto3) {
            f.setDefaultValue(fe.getDefaultValue());
        }
        return f.build();
    }

    private static final Map<String, FieldDescriptorProto.Type> SCALARS = Map.ofEntries(
            Map.entry("double", FieldDescriptorProto.Type.TYPE_DOUBLE), Map.entry("float", FieldDescriptorProto.Type.TYPE_FLOAT),
            Map.entry("int64", FieldDescriptorProto.Type.TYPE_INT64), Map.entry("uint64", FieldDescriptorProto.Type.TYPE_UINT64),
            Map.entry("int32", FieldDescriptorProto.Type.TYPE_INT32), Map.entry("fixed64", FieldDescriptorProto.Type.TYPE_FIXED64),
            Map.entry("fixed32", FieldDescriptorProto.Type.TYPE_FIXED32), Map.entry("bool", FieldDescriptorProto.Type.TYPE_BOOL),
            Map.entry("string", FieldDescriptorProto.Type.TYPE_STRING), Map.entry("bytes", FieldDescriptorProto.Type.TYPE_BYTES),
            Map.entry("uint32", FieldDescriptorProto.Type.TYPE_UINT32), Map.entry("sfixed32", FieldDescriptorProto.Type.TYPE_SFIXED32),
            Map.entry("sfixed64", FieldDescriptorProto.Type.TYPE_SFIXED64), Map.entry("sint32", FieldDescriptorProto.Type.TYPE_SINT32),
            Map.entry("sint64", FieldDescriptorProto.Type.TYPE_SINT64));

    /** A scalar type by name; any other name is a message or enum, resolved by the descriptor builder. */
    private static FieldDescriptorProto.Builder typed(FieldDescriptorProto.Builder f, String type) {
        FieldDescriptorProto.Type t = SCALARS.get(type);
        return t != null ? f.setType(t) : f.setTypeName(type);
    }

    private static EnumDescriptorProto enumType(EnumElement e) {
        EnumDescriptorProto.Builder b = EnumDescriptorProto.newBuilder().setName(e.getName());
        for (EnumConstantElement c : e.getConstants()) {
            b.addValue(EnumValueDescriptorProto.newBuilder().setName(c.getName()).setNumber(c.getTag()));
        }
        return b.build();
    }

    private static String camel(String name) {
        StringBuilder sb = new StringBuilder();
        boolean up = true;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
