/**
 * Vector expressions: an expression evaluated for the selected rows of a batch at once, one tight
 * loop per node over primitive arrays ({@link io.velo.expr.vec.VecExpr}). Results are
 * {@link io.velo.batch.Column}s indexed by input row, so a selection stays valid and a column
 * reference is the input column itself. {@link io.velo.expr.vec.VecCompiler} builds a vector tree
 * from the row evaluator tree ({@link io.velo.expr.eval.Eval}); every node keeps its row evaluator
 * as the exact path for the rare rows the fast loop does not take (BIGINT overflow, promoted
 * decimals, division by zero), so values and errors are those of the row path.
 */
package io.velo.expr.vec;
