package io.lockdep4j.analyzers.read;

/**
 * Turns one event of one type into its typed record (see {@link LockEvents}, {@link ReleaseEvents}).
 * Must touch nothing but the event: decoders run on the reader's parser thread when the model is
 * the slower side. Registered in {@link EventDecoders}.
 */
@FunctionalInterface
public interface EventDecoder {
    Object decode(FieldReader fields);
}
