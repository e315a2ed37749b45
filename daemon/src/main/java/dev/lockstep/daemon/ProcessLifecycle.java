package dev.lockstep.daemon;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The life of a {@code lockstep} process: print a banner once ready, then run until asked to stop,
 * and stop in order. SIGINT (Ctrl-C) and SIGTERM are handled here rather than by the JVM's shutdown
 * sequence, whose hooks run all at once in no order (a library's hook could stop the database under
 * a daemon still releasing its leases): the handler closes what runs, in the order its {@code
 * close} defines, and only then exits the JVM. The shutdown hook remains for any other exit and
 * does nothing if the stop already happened.
 */
public final class ProcessLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ProcessLifecycle.class);

  private ProcessLifecycle() {}

  /**
   * Prints {@code banner} to standard output, then blocks until SIGINT or SIGTERM, closes {@code
   * running} and exits the JVM with status 0 (a requested stop). Other exits close it in a shutdown
   * hook.
   */
  public static int runUntilStopped(AutoCloseable running, String banner)
      throws InterruptedException {
    AtomicBoolean closed = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          if (closed.compareAndSet(false, true)) {
            try {
              running.close();
            } catch (Exception e) {
              System.err.println("lockstep: error while stopping: " + e);
            }
          }
          stopped.countDown();
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "lockstep-shutdown"));
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            log.info("lockstep: SIG{} received, stopping", signal.getName());
            Thread.ofPlatform().name("lockstep-stop").start(stop);
          });
    }
    System.out.println(banner);
    System.out.flush();
    stopped.await();
    log.info("lockstep: stopped");
    System.exit(0);
    return 0;
  }
}
