/**
 * The lock-order graph over the model's lock classes, {@link io.lockdep4j.analyzers.graph.LockOrderGraph}: int arrays
 * (about 8 bytes per edge), strongly connected components by an iterative Tarjan, and a bounded cycle search that
 * finds shortest cycles first (all of length 2, then 3, ...), each once from its smallest lock class, within a step
 * budget and a deadline. Plain Java; JGraphT is used only by the tests, as the reference the search is checked against.
 */
package io.lockdep4j.analyzers.graph;
