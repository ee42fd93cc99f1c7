/**
 * JMH micro-benchmarks of the hot paths.
 */
package io.velo.harness.jmh;
