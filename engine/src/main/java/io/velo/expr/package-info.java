/**
 * Expression compilation: binding, type derivation, implicit casts, batch predicates.
 */
package io.velo.expr;
