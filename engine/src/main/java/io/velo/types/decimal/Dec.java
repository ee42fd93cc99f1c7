package io.velo.types.decimal;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A mutable exact decimal: {@code unscaled × 10^-scale}, or, after a 64-bit overflow, a promoted
 * {@link BigDecimal} held in {@link #big}. Instances are reused as result registers so the common
 * path allocates nothing; {@code big != null} means the value lives in {@code big} (whose scale is
 * always {@link #scale}).
 */
public final class Dec {
    public long unscaled;
    public int scale;
    public BigDecimal big;

    public Dec set(long unscaled, int scale) {
        this.unscaled = unscaled;
        this.scale = scale;
        this.big = null;
        return this;
    }

    public Dec set(Dec other) {
        this.unscaled = other.unscaled;
        this.scale = other.scale;
        this.big = other.big;
        return this;
    }

    /** Stores a BigDecimal, demoting it to the long form when its unscaled value fits. */
    public Dec set(BigDecimal value) {
        if (value.scale() < 0) {
            value = value.setScale(0);
        }
        BigInteger u = value.unscaledValue();
        this.scale = value.scale();
        if (u.bitLength() <= 63) {
            this.unscaled = u.longValue();
            this.big = null;
        } else {
            this.unscaled = 0;
            this.big = value;
        }
        return this;
    }

    public boolean isPromoted() {
        return big != null;
    }

    public BigDecimal toBigDecimal() {
        return big != null ? big : BigDecimal.valueOf(unscaled, scale);
    }

    public int signum() {
        return big != null ? big.signum() : Long.signum(unscaled);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(24);
        DecimalMath.appendTo(sb, this);
        return sb.toString();
    }
}
