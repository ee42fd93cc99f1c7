/**
 * Per-job counters: every input record is accounted for.
 */
package io.velo.metrics;
