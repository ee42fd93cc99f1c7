/**
 * The {@code velo} command line: {@code run} and {@code check}, exit codes, compiler-style SQL errors.
 */
package io.velo.cli;
