/**
 * The engine's entry point: plan and run SQL scripts ({@link io.velo.api.Engine}).
 */
package io.velo.api;
