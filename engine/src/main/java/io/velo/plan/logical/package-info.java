/**
 * The logical plan: immutable nodes for what a query computes (scan, filter, aggregate, analytic, having,
 * project, distinct, sort, limit, sink, and the two-input join still to be executed), the
 * annotations the planner adds (parallel exchange, state store, retraction gate), and the plan text
 * rendered from them.
 */
package io.velo.plan.logical;
