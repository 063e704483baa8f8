package org.salotto.signaling.protocol;

/**
 * The {@code id} a client may put on a request, a string or an integer, echoed as {@code ref} in the reply and in
 * any error about it, with the same JSON type.
 */
public record RequestId(String text, long number) {
    public static RequestId of(String text) {
        return new RequestId(text, 0);
    }

    public static RequestId of(long number) {
        return new RequestId(null, number);
    }

    public boolean isText() {
        return text != null;
    }

    @Override
    public String toString() {
        return isText() ? text : Long.toString(number);
    }
}
