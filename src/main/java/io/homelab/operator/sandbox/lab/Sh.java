package io.homelab.operator.sandbox.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local program with a deadline. Output goes to files, not pipes, so a daemon the program
 * leaves behind (wireguard-go) cannot keep us waiting for its output to close.
 */
public final class Sh {

  private Sh() {}

  /** What a program did. */
  public record Result(int exit, String out, String err) {

    /** Throws with the output when the program failed. */
    public Result orFail(String what) {
      if (exit != 0) {
        throw new IllegalStateException(what + " exited with " + exit + ": " + err + out);
      }
      return this;
    }
  }

  public static Result run(List<String> command, String stdin, Duration timeout) {
    try {
      File out = File.createTempFile("netns-sh", ".out");
      File err = File.createTempFile("netns-sh", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectOutput(out);
        builder.redirectError(err);
        if (stdin == null) {
          builder.redirectInput(new File("/dev/null"));
        }
        Process process = builder.start();
        if (stdin != null) {
          try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(command + " did not finish within " + timeout);
        }
        return new Result(
            process.exitValue(),
            Files.readString(out.toPath(), StandardCharsets.UTF_8),
            Files.readString(err.toPath(), StandardCharsets.UTF_8));
      } finally {
        out.delete();
        err.delete();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code bash -c script}, with a 30 s deadline. */
  public static Result bash(String script) {
    return run(List.of("bash", "-c", script), null, Duration.ofSeconds(30));
  }

  /** {@code bash -c script} inside a network namespace. */
  public static Result inNamespace(String namespace, String script) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    command.addAll(List.of("bash", "-c", script));
    return run(command, null, Duration.ofSeconds(30));
  }
}
