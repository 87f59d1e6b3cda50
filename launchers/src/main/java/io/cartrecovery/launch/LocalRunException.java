package io.cartrecovery.launch;

/** Something a local run cannot do, said in one line (a port in use, a missing build). */
public final class LocalRunException extends RuntimeException {
    public LocalRunException(String message) {
        super(message);
    }
}
