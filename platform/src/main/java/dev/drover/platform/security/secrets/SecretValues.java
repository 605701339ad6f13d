package dev.drover.platform.security.secrets;

import java.util.Collection;
import java.util.Map;

/** Where an executor gets the values of the secrets an attempt uses, in clear, for that attempt only. */
@FunctionalInterface
public interface SecretValues {

    /** Nothing to reveal: an executor without access to secrets (security off) fails attempts that need one. */
    SecretValues NONE = names -> {
        throw new SecretUnavailable("this executor has no access to secrets (drover.security.enabled is false), "
                + "so it cannot run a task that uses " + names);
    };

    /** Each name's value. */
    Map<String, String> reveal(Collection<String> names) throws SecretUnavailable;
}
