/**
 * The regression gate: {@link io.velo.harness.gate.Gate} compares a result's repetitions with its
 * baseline's ({@link io.velo.harness.gate.Baselines}) using {@link io.velo.harness.gate.Statistics};
 * {@link io.velo.harness.gate.GateReport} renders the verdicts as Markdown and JUnit XML, and
 * {@link io.velo.harness.gate.SelfTest} measures the gate's false-alarm rate and detection power.
 */
package io.velo.harness.gate;
