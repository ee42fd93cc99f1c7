/**
 * SQL types, schemas and the text forms of values.
 */
package io.velo.types;
