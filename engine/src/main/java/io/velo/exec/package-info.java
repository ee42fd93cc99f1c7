/**
 * Operators over pooled batches (filter, project, aggregate, distinct, sort, limit, sink) and the job runner.
 */
package io.velo.exec;
