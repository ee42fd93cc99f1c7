/**
 * Typed evaluators with their own result registers (no boxing) and column-at-a-time kernels.
 */
package io.velo.expr.eval;
