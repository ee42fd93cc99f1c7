/**
 * Name resolution: scopes of relations and system columns.
 */
package io.velo.sql.validate;
