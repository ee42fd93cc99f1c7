package io.velo.types;

/** A named, typed column. */
public record Field(String name, DataType type) {
    @Override
    public String toString() {
        return name + " " + type;
    }
}
