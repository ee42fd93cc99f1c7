/**
 * Operator state that survives a restart: stateful operators write what changed since the last commit
 * to a {@link io.velo.exec.state.StateLog} (a compacted changelog topic written inside the job's
 * transaction) and rebuild themselves from its entries when the job starts again.
 */
package io.velo.exec.state;
