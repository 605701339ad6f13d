package dev.drover.ui.api;

/**
 * An API answer that ends the page: the object does not exist (a friendly 404 with a way back), the session is gone
 * (back to sign-in), or the caller may not see it (403).
 */
public final class PageProblem extends RuntimeException {
    private final int status;
    private final String fix;

    public PageProblem(int status, String message, String fix) {
        super(message, null, false, false);
        this.status = status;
        this.fix = fix;
    }

    public int status() {
        return status;
    }

    public String fix() {
        return fix;
    }
}
