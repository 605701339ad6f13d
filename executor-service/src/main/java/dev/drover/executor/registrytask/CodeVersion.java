package dev.drover.executor.registrytask;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The code version a {@code register_model} task records when its config has no {@code code_version}: the
 * executor's {@value #ENV} environment variable, else the commit checked out in the executor's work directory
 * ({@code git rev-parse HEAD}), else none. It is looked up at each attempt, since the checkout may move between runs.
 */
final class CodeVersion {
    static final String ENV = "DROVER_CODE_VERSION";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final long GIT_TIMEOUT_SECONDS = 5;

    private CodeVersion() {
    }

    /** The default code version from the environment, else from {@code gitHead}. */
    static Optional<String> resolve(Function<String, String> env, Supplier<Optional<String>> gitHead) {
        String fromEnv = env.apply(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        return gitHead.get();
    }

    /** The default for an executor working in {@code workDir}. */
    static Supplier<Optional<String>> forExecutor(Path workDir) {
        return () -> resolve(System::getenv, () -> gitHead(workDir));
    }

    /** The commit checked out in {@code dir}, if it is inside a git work tree and git is installed. */
    static Optional<String> gitHead(Path dir) {
        try {
            Process git = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "HEAD")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out;
            try (InputStream in = git.getInputStream()) {
                out = new String(in.readNBytes(256), StandardCharsets.UTF_8).strip();
            }
            if (!git.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return Optional.empty();
            }
            return git.exitValue() == 0 && COMMIT.matcher(out).matches() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no git on this host: no code version, as for a directory outside a checkout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
