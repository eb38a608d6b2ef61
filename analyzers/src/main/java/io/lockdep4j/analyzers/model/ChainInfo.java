package io.lockdep4j.analyzers.model;

import java.util.List;

/** A {@code lockdep4j.LockChain} event: the first acquisition of {@code lock} with a given set of held locks. */
public record ChainInfo(int recording, long chainId, String lock, String kind, String mode, boolean trylock,
                        ThreadRef thread, List<String> stack) {
}
