package io.homelab.operator.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Turns on TCP_NODELAY for every JDK HTTP server of the test run (the simulators), before the first
 * one starts: the JDK reads the setting once, and without it each reply on a kept-alive connection
 * waits for the client's delayed ACK, about 40 ms a request. Registered through {@code
 * META-INF/services}, so it holds whichever test class starts a server first.
 */
public final class LoopbackNoDelay implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }
}
