package io.lockdep4j.samples.nfs.load;

/**
 * {@code NfsLoadDriverMain --port P [--host H] [--export /export] [--threads T] [--seconds S]
 * [--warmup S] [--wait-for-server S] [--ops N] [--files F] [--file-size BYTES] [--prefix NAME]}: drive an
 * NFSv3 server, print progress on stderr and the summary on stdout; exit 1 on errors or verification
 * failures. {@code --warmup} runs the mix first, outside every figure; {@code --wait-for-server} starts
 * before the server and reports when the first reply arrived (see {@link NfsLoadDriver}).
 */
public final class NfsLoadDriverMain {
    private NfsLoadDriverMain() {}

    public static void main(String[] args) throws Exception {
        NfsLoadDriver.Config c = new NfsLoadDriver.Config();
        c.port = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[i + 1] : null);
            String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            boolean inline = a.contains("=");
            switch (key) {
                case "--port" -> c.port = Integer.parseInt(v);
                case "--host" -> c.host = v;
                case "--export" -> c.exportPath = v;
                case "--threads" -> c.threads = Integer.parseInt(v);
                case "--seconds" -> c.durationMs = (long) (Double.parseDouble(v) * 1000);
                case "--warmup" -> c.warmupMs = (long) (Double.parseDouble(v) * 1000);
                case "--wait-for-server" -> c.waitForServerMs = (long) (Double.parseDouble(v) * 1000);
                case "--ops" -> c.maxOps = Long.parseLong(v);
                case "--files" -> c.files = Integer.parseInt(v);
                case "--file-size" -> c.maxFileSize = Integer.parseInt(v);
                case "--prefix" -> c.prefix = v;
                case "--quiet" -> {
                    c.progress = false;
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
        if (c.port <= 0) {
            usage();
            System.exit(2);
        }
        NfsLoadDriver.Result r = new NfsLoadDriver(c).run();
        System.out.print(r.summary());
        System.out.flush();
        System.exit(r.errors == 0 && r.verifyErrors == 0 ? 0 : 1);
    }

    private static void usage() {
        System.err.println("usage: NfsLoadDriverMain --port P [--host 127.0.0.1] [--export /export] [--threads 4]"
                + " [--seconds 5] [--warmup 0] [--wait-for-server 0] [--ops N] [--files 16] [--file-size 32768] [--prefix load] [--quiet]");
    }
}
