/**
 * Operators over pooled batches (filter, project, aggregate, distinct, sort, limit, sink) and the job runner.
 * Between batches a watermark signal travels down the chain ({@link io.velo.exec.Operator#watermark});
 * an operator with two inputs is a {@link io.velo.exec.TwoInputOperator}.
 */
package io.velo.exec;
