/**
 * Report writers over an {@link io.lockdep4j.analyzers.AnalysisResult}, one class per format, each a
 * {@link io.lockdep4j.analyzers.report.ReportWriter}: {@link io.lockdep4j.analyzers.report.TextReport}
 * (lockdep-style), {@link io.lockdep4j.analyzers.report.JsonReport} (schema in its Javadoc),
 * {@link io.lockdep4j.analyzers.report.HtmlReport}, {@link io.lockdep4j.analyzers.report.DotReport},
 * {@link io.lockdep4j.analyzers.report.SarifReport}. They are listed in
 * {@code META-INF/services/io.lockdep4j.analyzers.report.ReportWriter} and loaded by
 * {@link io.lockdep4j.analyzers.report.ReportWriters}: a new format is one class plus one line there,
 * and the CLI's {@code --format} and help pick it up.
 */
package io.lockdep4j.analyzers.report;
