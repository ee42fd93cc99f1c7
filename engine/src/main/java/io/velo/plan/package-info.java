/**
 * Planning: statement to job plan (source, operator chain, sink, effective properties, plan text).
 */
package io.velo.plan;
