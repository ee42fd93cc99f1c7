/**
 * SQL errors with positions.
 */
package io.velo.sql;
