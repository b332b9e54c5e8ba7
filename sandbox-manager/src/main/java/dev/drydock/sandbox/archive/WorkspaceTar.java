package dev.drydock.sandbox.archive;

import dev.drydock.sandbox.PathEscapeException;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.workspace.WorkspaceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tar streams into and out of a workspace. Every entry goes through {@link WorkspaceFiles}. */
public final class WorkspaceTar {
    private WorkspaceTar() {}

    /**
     * Extracts a tar stream below {@code directory}. Entries with {@code ..}, absolute names, hard
     * links, devices, or symbolic links pointing outside the workspace are refused, and extraction
     * stops at the first refused entry.
     */
    public static void extract(WorkspaceFiles files, String directory, InputStream tar) {
        String base = directory == null || directory.isBlank() || directory.equals(".") ? "" : strip(directory) + "/";
        try {
            TarArchiveInputStream in = new TarArchiveInputStream(tar);
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.startsWith("/")) {
                    throw new PathEscapeException(name, "is an absolute tar entry");
                }
                String target = base + strip(name);
                if (entry.isDirectory()) {
                    files.mkdirs(target.isEmpty() ? "." : target);
                } else if (entry.isSymbolicLink()) {
                    files.symlink(target, entry.getLinkName());
                } else if (entry.isFile() && !entry.isLink()) {
                    int mode = entry.getMode() & 0777;
                    try (OutputStream out = files.openWrite(target, mode == 0 ? 0644 : mode)) {
                        in.transferTo(out);
                    }
                } else {
                    throw new PathEscapeException(
                            name,
                            "is a hard link or special file; only files, directories and relative links are accepted");
                }
            }
        } catch (IOException e) {
            throw new SandboxException("cannot extract tar into " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Writes a tar stream of {@code directory} (entries relative to it), links stored as links. */
    public static void create(WorkspaceFiles files, String directory, OutputStream tar) {
        Path dir = files.resolveDirectory(directory);
        try {
            TarArchiveOutputStream out = new TarArchiveOutputStream(tar);
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(dir)) {
                        TarArchiveEntry e = new TarArchiveEntry(dir.relativize(d) + "/");
                        e.setMode(mode(d));
                        e.setModTime(attrs.lastModifiedTime());
                        out.putArchiveEntry(e);
                        out.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String name = dir.relativize(f).toString();
                    if (attrs.isSymbolicLink()) {
                        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        e.setLinkName(Files.readSymbolicLink(f).toString());
                        out.putArchiveEntry(e);
                        out.closeArchiveEntry();
                    } else if (attrs.isRegularFile()) {
                        TarArchiveEntry e = new TarArchiveEntry(name);
                        e.setSize(attrs.size());
                        e.setMode(mode(f));
                        e.setModTime(attrs.lastModifiedTime());
                        out.putArchiveEntry(e);
                        try (InputStream in = files.openRead(files.relative(f))) {
                            in.transferTo(out);
                        }
                        out.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            out.finish();
            out.flush();
        } catch (IOException e) {
            throw new SandboxException("cannot create tar of " + directory + ": " + e.getMessage(), e);
        }
    }

    private static int mode(Path p) throws IOException {
        return WorkspaceFiles.mode(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .permissions());
    }

    private static String strip(String name) {
        String s = name;
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
