package io.cartrecovery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.testing.ConsoleCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A replay called with paths it cannot use says so in one line, before anything runs. */
class ReplayUserErrorsTest {
    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private Path input() throws Exception {
        return Files.writeString(dir.resolve("in.jsonl"), "");
    }

    @Test
    void anOutputFolderUnderAFileIsAOneLineError() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path out = file.resolve("results");

        assertThat(JobCli.execute("replay", "--input", input().toString(), "--out", out.toString()))
                .isEqualTo(2);

        assertThat(console.stderr().strip())
                .isEqualTo(
                        "cart-recovery: cannot create the output folder "
                                + out
                                + ": "
                                + file
                                + " is not a folder");
    }

    @Test
    void anOutputFolderThatIsAFileIsAOneLineError() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        assertThat(
                        JobCli.execute(
                                "replay", "--input", input().toString(), "--out", file.toString()))
                .isEqualTo(2);

        assertThat(console.stderr().strip())
                .isEqualTo(
                        "cart-recovery: cannot create the output folder "
                                + file
                                + ": "
                                + file
                                + " is not a folder");
    }

    @Test
    void anUnwritableOutputFolderIsAOneLineError() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        assertThat(locked.toFile().setWritable(false)).isTrue();
        Path out = locked.resolve("results");
        try {
            int code =
                    JobCli.execute(
                            "replay", "--input", input().toString(), "--out", out.toString());
            if (Files.isWritable(locked)) {
                return; // running as root: nothing is refused
            }
            assertThat(code).isEqualTo(2);
            assertThat(console.stderr().strip())
                    .startsWith("cart-recovery: cannot create the output folder " + out + ": ")
                    .doesNotContain("\n");
        } finally {
            locked.toFile().setWritable(true);
        }
    }

    @Test
    void anInputThatIsAFolderIsNamedAsSuch() throws Exception {
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                dir.toString(),
                                "--out",
                                dir.resolve("out").toString()))
                .isEqualTo(2);

        assertThat(console.stderr().strip())
                .isEqualTo("cart-recovery: input file " + dir + " is a folder, not a file");
    }

    @Test
    void aProfilesFileThatIsAFolderIsNamedAsSuch() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("profiles"));
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                input().toString(),
                                "--profiles",
                                folder.toString(),
                                "--out",
                                dir.resolve("out").toString()))
                .isEqualTo(2);

        assertThat(console.stderr().strip())
                .isEqualTo("cart-recovery: profiles file " + folder + " is a folder, not a file");
    }
}
