/**
 * Measurement helpers shared by the benchmarks: allocation and CPU of a whole process.
 */
package io.velo.harness.measure;
