package io.lockdep4j.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Real class files for the tests that check a scan or a rewrite against them: the running JDK's modules and jars. */
final class ClassFilesOnHand {
    private ClassFilesOnHand() {}

    interface Visitor {
        void visit(String name, byte[] bytes);
    }

    /** Every class file (not module-info) of these jrt:/ modules, then of every jar on {@code classPath}. */
    static void forEach(List<String> modules, String classPath, Visitor visitor) throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : modules) {
            try (Stream<Path> files = Files.walk(jrt.getPath("/modules", module))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (p.toString().endsWith(".class") && !p.toString().endsWith("module-info.class")) {
                        visitor.visit(p.toString(), Files.readAllBytes(p));
                    }
                }
            }
        }
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (JarEntry e : new ArrayList<>(jar.stream().toList())) {
                    if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            visitor.visit(entry + "!" + e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
    }
}
