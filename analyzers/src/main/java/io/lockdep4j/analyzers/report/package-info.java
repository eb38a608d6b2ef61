/** Report writers over an {@link io.lockdep4j.analyzers.AnalysisResult}: {@link io.lockdep4j.analyzers.report.TextReport} (lockdep-style) and {@link io.lockdep4j.analyzers.report.JsonReport} (schema in its Javadoc). */
package io.lockdep4j.analyzers.report;
