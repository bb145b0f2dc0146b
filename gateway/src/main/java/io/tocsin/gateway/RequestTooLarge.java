package io.tocsin.gateway;

/** A request body (or its decompressed form) above the configured limit: answered with 413. */
final class RequestTooLarge extends Exception {

    private static final long serialVersionUID = 1L;

    RequestTooLarge(String message) {
        super(message, null, false, false);
    }
}
