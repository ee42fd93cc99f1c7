/**
 * Columnar record batches and their pools: the unit of data flow between source, operators and sink.
 */
package io.velo.batch;
