package dev.drover.registry.core;

/** How an alias came to point at a version; the same kinds name the moves a protected alias waits to approve. */
public enum AliasMoveKind {
    /** Set explicitly to a chosen version. */
    SET,
    /** Pointed back at the version that held it before. */
    ROLLBACK,
    /** Moved by a champion/challenger comparison that the challenger won. */
    PROMOTION
}
