/**
 * File sources (CSV/JSON lines, globs, watch) and file sinks (whole lines per flush).
 */
package io.velo.connector.file;
