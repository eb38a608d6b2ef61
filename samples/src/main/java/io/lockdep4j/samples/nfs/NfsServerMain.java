package io.lockdep4j.samples.nfs;

import io.lockdep4j.samples.nfs.load.NfsLoadDriver;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Command line:
 * <pre>
 * NfsServerMain [--port P] [--bind 127.0.0.1] [--export DIR] [--export-path /export]
 *               [--release-mode deferred|sync] [--hazard=a,b|all] [--duration-seconds N]
 *               [--load SECONDS] [--warmup SECONDS] [--load-threads T] [--load-files F]
 *               [--recovery-every-ms MS] [--recovery-wait-ms MS] [--reaper-ms MS] [--localio-ms MS]
 *               [--threads N]
 * </pre>
 * Prints {@code lockdep4j-nfs listening on port P export DIR} on stdout once ready. Stops on SIGTERM
 * (shutdown hook), at the end of {@code --duration-seconds}, or after the {@code --load} run. With
 * {@code --warmup} the load runs that long first, excluded from the summary (the load then takes
 * warm-up + {@code --load} seconds).
 */
public final class NfsServerMain {
    private NfsServerMain() {}

    public static void main(String[] args) throws Exception {
        NfsServerConfig config = new NfsServerConfig();
        double durationSeconds = 0;
        double loadSeconds = 0;
        double warmupSeconds = 0;
        int loadThreads = 4;
        int loadFiles = 16;
        boolean keepExport = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean inline = a.startsWith("--") && a.contains("=");
            String key = inline ? a.substring(0, a.indexOf('=')) : a;
            String v = inline ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[i + 1] : null);
            switch (key) {
                case "--port" -> config.port = Integer.parseInt(v);
                case "--bind" -> config.bindAddress = v;
                case "--export" -> config.exportDir = Path.of(v);
                case "--export-path" -> config.exportPath = v;
                case "--release-mode" -> config.releaseMode = ReleaseMode.valueOf(v.toUpperCase(Locale.ROOT));
                case "--hazard", "--hazards" -> config.hazards = Hazard.parse(v);
                case "--duration-seconds" -> durationSeconds = Double.parseDouble(v);
                case "--load" -> loadSeconds = Double.parseDouble(v.replace("-seconds", "").replace("s", ""));
                case "--warmup" -> warmupSeconds = Double.parseDouble(v);
                case "--load-threads" -> loadThreads = Integer.parseInt(v);
                case "--load-files" -> loadFiles = Integer.parseInt(v);
                case "--recovery-every-ms" -> config.recoveryEveryMs = Long.parseLong(v);
                case "--recovery-wait-ms" -> config.recoveryWaitMs = Long.parseLong(v);
                case "--grace-ms" -> config.graceMs = Long.parseLong(v);
                case "--reaper-ms" -> config.reaperPeriodMs = Long.parseLong(v);
                case "--localio-ms" -> config.localIoPeriodMs = Long.parseLong(v);
                case "--threads" -> config.workerThreads = Integer.parseInt(v);
                case "--keep-export" -> {
                    keepExport = true;
                    continue;
                }
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown option " + a);
                    usage();
                    System.exit(2);
                }
            }
            if (!inline) {
                i++;
            }
        }

        NfsServer server = new NfsServer(config).start();
        boolean deleteExport = server.ownsExportDir() && !keepExport;
        Thread hook = new Thread(() -> {
            server.close();
            if (deleteExport) {
                server.deleteTempDirs();
            }
            System.err.println(server.statsLine());
        }, "lockdep4j-nfs-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("lockdep4j-nfs: " + config);
        System.out.println("lockdep4j-nfs listening on port " + server.port() + " export " + server.exportDir());
        System.out.flush();

        int exit = 0;
        if (loadSeconds > 0) {
            NfsLoadDriver.Config lc = new NfsLoadDriver.Config();
            lc.host = config.bindAddress;
            lc.port = server.port();
            lc.exportPath = config.exportPath;
            lc.threads = loadThreads;
            lc.files = loadFiles;
            lc.durationMs = (long) (loadSeconds * 1000);
            lc.warmupMs = (long) (warmupSeconds * 1000);
            NfsLoadDriver.Result r = new NfsLoadDriver(lc).run();
            System.out.print(r.summary());
            System.out.flush();
            exit = r.errors == 0 && r.verifyErrors == 0 ? 0 : 1;
        } else if (durationSeconds > 0) {
            server.awaitShutdown((long) (durationSeconds * 1000), TimeUnit.MILLISECONDS);
        } else {
            server.awaitShutdown(Long.MAX_VALUE, TimeUnit.DAYS); // until SIGTERM
        }
        // normal end: shut down here (the hook then finds it done) and print the counters
        server.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException sigterm) {
            return; // the JVM is already shutting down (SIGTERM); the hook prints the counters
        }
        if (deleteExport) {
            server.deleteTempDirs();
        }
        System.err.println(server.statsLine());
        System.exit(exit);
    }

    private static void usage() {
        System.err.println("usage: NfsServerMain [--port 0] [--bind 127.0.0.1] [--export DIR] [--export-path /export]\n"
                + "       [--release-mode deferred|sync] [--hazard=" + Hazard.known() + "]\n"
                + "       [--duration-seconds N] [--load SECONDS] [--warmup 0] [--load-threads 4] [--load-files 16]\n"
                + "       [--recovery-every-ms 1000] [--recovery-wait-ms 2000] [--grace-ms 50] [--reaper-ms 200]\n"
                + "       [--localio-ms 100] [--threads 8] [--keep-export]\n"
                + "A temp export (no --export) is deleted at exit unless --keep-export is given.");
    }
}
