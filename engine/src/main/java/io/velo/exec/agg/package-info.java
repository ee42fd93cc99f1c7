/**
 * Group-by state: the open-addressing group table and one aggregator per aggregate function.
 */
package io.velo.exec.agg;
