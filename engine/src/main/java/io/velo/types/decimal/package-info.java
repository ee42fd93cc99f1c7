/**
 * Exact decimals: an unscaled long plus a scale, promoted to BigDecimal on overflow.
 */
package io.velo.types.decimal;
