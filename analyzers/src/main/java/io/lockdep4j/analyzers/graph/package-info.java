/** Graph views of the model (JGraphT): {@link io.lockdep4j.analyzers.graph.LockOrderGraph} and its bounded cycle search. */
package io.lockdep4j.analyzers.graph;
