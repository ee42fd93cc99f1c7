/**
 * The {@code velo} jar's entry point and the {@code velo bench} commands.
 */
package io.velo.harness.cli;
