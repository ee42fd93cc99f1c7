/**
 * Planning: statement to job plan (source, operator chain, sink, effective properties, plan text).
 * Connector kinds are {@link io.velo.plan.SourceType} / {@link io.velo.plan.SinkType} objects found in
 * {@link io.velo.plan.Connectors} by {@code '<name>.type'}; the planner asks them, never compares names.
 */
package io.velo.plan;
