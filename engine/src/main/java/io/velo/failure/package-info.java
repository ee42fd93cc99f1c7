/**
 * Failure strategies, record-level error codes and dead-letter writers.
 */
package io.velo.failure;
