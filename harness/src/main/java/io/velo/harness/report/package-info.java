/**
 * Run reports: the self-contained {@code report.html} (tables plus inline-script SVG charts),
 * {@code report.md}, the {@code reports/index.html} of all runs, the plain comparison of
 * {@code bench compare}, and a headless-Chromium helper to render a report for tests.
 * Entry point for a run: {@link io.velo.harness.report.Reports#writeRunReport}.
 */
package io.velo.harness.report;
