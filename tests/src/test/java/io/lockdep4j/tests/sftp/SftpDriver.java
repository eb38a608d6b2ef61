package io.lockdep4j.tests.sftp;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * Drives Apache MINA SSHD's SFTP server with its own client, in one JVM, on loopback: password
 * login, then {@code files} files written, read back, listed and removed. Prints a digest of
 * everything read (the same with and without the agent) and {@code sftp done}. Exits 1 when a byte
 * differs.
 */
public final class SftpDriver {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path root = Files.createTempDirectory("lockdep4j-sftp");
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(root.resolveSibling(root.getFileName() + "-hostkey.ser")));
        server.setPasswordAuthenticator((user, password, session) -> "lockdep".equals(user) && "secret".equals(password));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        int mismatches = 0;
        try (ClientSession session = client.connect("lockdep", "127.0.0.1", server.getPort()).verify(TIMEOUT).getSession()) {
            session.addPasswordIdentity("secret");
            session.auth().verify(TIMEOUT);
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                SplittableRandom random = new SplittableRandom(42);
                for (int i = 0; i < files; i++) {
                    byte[] data = new byte[1 + random.nextInt(200_000)];
                    for (int k = 0; k < data.length; k++) {
                        data[k] = (byte) random.nextInt(256);
                    }
                    String name = "/file-" + i + ".bin";
                    try (OutputStream out = sftp.write(name)) {
                        out.write(data);
                    }
                    byte[] back;
                    try (InputStream in = sftp.read(name)) {
                        back = in.readAllBytes();
                    }
                    if (!Arrays.equals(data, back)) {
                        mismatches++;
                    }
                    digest.update(back);
                }
                int listed = 0;
                for (SftpClient.DirEntry e : sftp.readDir("/")) {
                    if (e.getFilename().startsWith("file-")) {
                        listed++;
                    }
                }
                for (int i = 0; i < files; i++) {
                    sftp.remove("/file-" + i + ".bin");
                }
                System.out.println("sftp listed " + listed);
            }
        } finally {
            client.stop();
            server.stop(true);
        }
        System.out.println("sftp mismatches " + mismatches);
        System.out.println("sftp digest " + HexFormat.of().formatHex(digest.digest()));
        System.out.println("sftp done");
        System.exit(mismatches == 0 ? 0 : 1);
    }

    private SftpDriver() {}
}
