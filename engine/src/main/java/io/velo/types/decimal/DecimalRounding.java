package io.velo.types.decimal;

import java.math.RoundingMode;

/** The rounding rules a job may choose with {@code 'decimal.rounding'}; HALF_UP is the default. */
public enum DecimalRounding {
    HALF_UP(RoundingMode.HALF_UP),
    HALF_EVEN(RoundingMode.HALF_EVEN);

    public final RoundingMode mode;

    DecimalRounding(RoundingMode mode) {
        this.mode = mode;
    }

    public static DecimalRounding parse(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "half_up": return HALF_UP;
            case "half_even": return HALF_EVEN;
            default: throw new IllegalArgumentException("expected half_up or half_even, got '" + text + "'");
        }
    }
}
