package dev.drover.platform.avro;

/**
 * A record could not be encoded or decoded. On the consuming side this means the bytes are not a record of the
 * expected type (a poison record): set it aside on the dead-letter topic rather than retrying it.
 */
public class AvroCodecException extends RuntimeException {

    /** A failure with its cause. */
    public AvroCodecException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure detected by the codec itself. */
    public AvroCodecException(String message) {
        super(message);
    }
}
