package io.homelab.operator.sandbox;

import static org.awaitility.Awaitility.await;

import io.homelab.operator.sandbox.lab.Sh;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The sandbox's main class run as a child process by a test, with its output kept. */
final class SandboxProcess implements AutoCloseable {

  private final Process process;
  private final Thread reader;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());

  private SandboxProcess(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                }
              } catch (IOException e) {
                output.add("(output ended: " + e + ")");
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code command} (which runs the sandbox's main class) in {@code directory} and waits for
   * its banner.
   */
  static SandboxProcess start(List<String> command, Path directory, Duration timeout)
      throws IOException {
    SandboxProcess sandbox =
        new SandboxProcess(
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start());
    try {
      await("the sandbox's banner")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                if (!sandbox.process.isAlive()) {
                  throw new AssertionError(
                      "the sandbox exited with " + sandbox.process.exitValue());
                }
                return sandbox.printed("Ctrl-C stops everything");
              });
    } catch (RuntimeException | AssertionError e) {
      sandbox.close();
      throw new AssertionError("the sandbox did not start; its output:\n" + sandbox.tail(), e);
    }
    return sandbox;
  }

  /** Whether a line it printed starts with {@code start}. */
  boolean printed(String start) {
    synchronized (output) {
      return output.stream().anyMatch(l -> l.startsWith(start));
    }
  }

  /** Everything it printed so far. */
  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** Ctrl-C, then waits until it and its output have ended; whether it stopped in time. */
  boolean interrupt(Duration timeout) throws InterruptedException {
    Sh.bash("kill -INT " + process.pid()).orFail("Ctrl-C to the sandbox");
    boolean stopped = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    reader.join(5000);
    return stopped;
  }

  String tail() {
    synchronized (output) {
      return String.join("\n", output.subList(Math.max(0, output.size() - 80), output.size()));
    }
  }

  /** Stops it in any case (after a failed test). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        process.waitFor(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process.destroyForcibly();
    }
  }
}
