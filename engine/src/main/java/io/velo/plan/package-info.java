/**
 * Planning: statement to job plan (source, operator chain, sink, effective properties, plan text),
 * in steps: the job's properties and source are resolved ({@link io.velo.plan.Planner}), the query's
 * logical plan is built from the AST ({@link io.velo.plan.LogicalPlanner}, nodes in
 * {@link io.velo.plan.logical}), the operators from the logical plan ({@link io.velo.plan.PhysicalPlanner}),
 * and the plan text from the logical plan it annotated ({@link io.velo.plan.logical.PlanText}).
 * Connector kinds are {@link io.velo.plan.SourceType} / {@link io.velo.plan.SinkType} objects found in
 * {@link io.velo.plan.Connectors} by {@code '<name>.type'}; the planner asks them, never compares names.
 */
package io.velo.plan;
