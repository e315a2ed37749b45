package dev.lockstep.daemon;

import java.util.concurrent.CountDownLatch;

/**
 * The life of a {@code lockstep} process: print a banner once ready, then block until the process
 * is asked to stop (SIGINT, SIGTERM), and close what runs in a shutdown hook.
 */
public final class ProcessLifecycle {
  private ProcessLifecycle() {}

  /**
   * Prints {@code banner} to standard output, then blocks until the JVM shuts down, closing {@code
   * running} in the shutdown hook.
   *
   * @return 0, the exit status of a requested stop
   */
  public static int runUntilStopped(AutoCloseable running, String banner)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    running.close();
                  } catch (Exception e) {
                    System.err.println("lockstep: error while stopping: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.println(banner);
    System.out.flush();
    stopped.await();
    return 0;
  }
}
