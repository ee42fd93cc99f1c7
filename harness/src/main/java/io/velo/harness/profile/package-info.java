/**
 * In-process profiling for {@code --profile}: async-profiler or JDK Flight Recorder into
 * {@code engine.jfr}, converted to CPU and allocation flame graphs. Entry point:
 * {@link io.velo.harness.profile.Profiler#start(java.nio.file.Path)}.
 */
package io.velo.harness.profile;
