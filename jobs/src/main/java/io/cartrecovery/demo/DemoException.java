package io.cartrecovery.demo;

/** Something a local run cannot do, said in one line (a port in use, a missing build). */
public final class DemoException extends RuntimeException {
    public DemoException(String message) {
        super(message);
    }
}
