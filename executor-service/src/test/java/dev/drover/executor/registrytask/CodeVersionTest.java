package dev.drover.executor.registrytask;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CodeVersionTest {

    @Test
    void theEnvironmentWinsOverGit() {
        assertThat(CodeVersion.resolve(Map.of("DROVER_CODE_VERSION", " v2.1 ")::get, () -> Optional.of("abc")))
                .contains("v2.1");
        assertThat(CodeVersion.resolve(Map.of("DROVER_CODE_VERSION", " ")::get, () -> Optional.of("abc")))
                .contains("abc");
        assertThat(CodeVersion.resolve(Map.<String, String>of()::get, Optional::empty)).isEmpty();
    }

    @Test
    void aGitCheckoutGivesItsHeadCommit(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(run(dir, "git", "--version") == 0, "git is not installed");
        assertThat(run(dir, "git", "init", "-q")).isZero();
        Files.writeString(dir.resolve("a.txt"), "a");
        assertThat(run(dir, "git", "add", "a.txt")).isZero();
        assertThat(run(dir, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "a"))
                .isZero();
        // read the commit the way git stores it, not the way the code under test asks for it
        String ref = Files.readString(dir.resolve(".git/HEAD")).strip().substring("ref: ".length());
        String commit = Files.readString(dir.resolve(".git").resolve(ref)).strip();

        assertThat(CodeVersion.gitHead(dir)).contains(commit);
        assertThat(CodeVersion.gitHead(Files.createDirectories(dir.resolve("sub")))).contains(commit);
    }

    @Test
    void aDirectoryOutsideAnyCheckoutHasNone(@TempDir Path dir) {
        assertThat(CodeVersion.gitHead(dir)).isEmpty();
        assertThat(CodeVersion.gitHead(dir.resolve("missing"))).isEmpty();
    }

    private static int run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
