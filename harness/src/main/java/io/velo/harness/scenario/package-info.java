/**
 * Scenarios (SPEC §7): the YAML file format ({@link io.velo.harness.scenario.Scenario}, documented in
 * {@code scenarios/README.md}), its loader with compiler-style positioned errors
 * ({@link io.velo.harness.scenario.ScenarioLoader}), the schema-driven input generator
 * ({@link io.velo.harness.scenario.RecordGenerator}, deterministic per sequence number) and the
 * independent output oracle ({@link io.velo.harness.scenario.Oracle}) that makes a fast wrong run fail.
 */
package io.velo.harness.scenario;
