/**
 * Runs planned jobs: the loop that pulls batches from a source through the operator chain into a sink.
 */
package io.velo.runtime;
