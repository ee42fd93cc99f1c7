/**
 * Engine-only pipelines against hand-written loops on the same generated data.
 */
package io.velo.harness.pipeline;
