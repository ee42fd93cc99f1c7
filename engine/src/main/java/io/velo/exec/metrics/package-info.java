/**
 * Per-job counters: every input record is accounted for.
 */
package io.velo.exec.metrics;
