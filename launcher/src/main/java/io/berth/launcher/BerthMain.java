package io.berth.launcher;

import io.berth.common.boot.ServiceMain;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code berth serve [--cluster] [--services gateway,blob,…] [config.yml]}: the registry's services in this JVM (all
 * of them on the local event bus by default; any subset on the clustered bus); {@code berth garbage-collect …}
 * offline GC; {@code berth check-config …} the configuration serve would run with, or why it would not start.
 */
public final class BerthMain {
  private static final Logger LOG = LoggerFactory.getLogger(BerthMain.class);
  private static final ServiceMain SERVE = ServiceMain.forServices("registry serve", EmbeddedRegistry::start);

  private BerthMain() {
  }

  public static void main(String[] args) {
    if (args.length >= 1 && args[0].equals("garbage-collect")) {
      System.exit(GarbageCollectCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length >= 1 && args[0].equals("check-config")) {
      System.exit(CheckConfigCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length < 1 || !args[0].equals("serve")) {
      LOG.error(SERVE.usage() + " | " + GarbageCollectCommand.USAGE.substring("usage: ".length()) + " | "
          + CheckConfigCommand.USAGE.substring("usage: ".length()));
      System.exit(2);
    }
    SERVE.run(Arrays.copyOfRange(args, 1, args.length));
  }
}
