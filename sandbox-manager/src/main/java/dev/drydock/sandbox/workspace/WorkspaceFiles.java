package dev.drydock.sandbox.workspace;

import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.PathEscapeException;
import dev.drydock.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * File operations confined to one workspace root. Every path is relative, {@code /}-separated, and
 * checked component by component without following symbolic links; the final open uses {@code
 * O_NOFOLLOW}, and after opening, the real path of the parent directory is checked again to narrow
 * races with a command that swaps a directory for a link.
 */
public final class WorkspaceFiles {
    /** Largest file {@link #read} returns. */
    public static final long MAX_READ_BYTES = 64L << 20;

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final Path realRoot;
    private final OptionalInt ownerUid;

    /**
     * @param root the workspace directory
     * @param ownerUid when present, files and directories created here are given to this uid/gid (the
     *     sandbox's host uid), so the sandbox can modify them
     */
    public WorkspaceFiles(Path root, OptionalInt ownerUid) {
        try {
            this.root = root.toAbsolutePath().normalize();
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new SandboxException("workspace root " + root + " is not accessible: " + e.getMessage(), e);
        }
        this.ownerUid = ownerUid;
    }

    public Path root() {
        return root;
    }

    /**
     * Resolves a workspace-relative path to a host path, refusing {@code ..}, absolute paths, NUL
     * bytes and any symbolic link among the existing parent directories. The final component may be a
     * link; callers decide what to do with it.
     */
    public Path resolve(String path) {
        if (path == null) {
            throw new PathEscapeException("null", "is missing");
        }
        if (path.indexOf('\0') >= 0) {
            throw new PathEscapeException(path.replace('\0', '?'), "contains a NUL byte");
        }
        if (path.startsWith("/")) {
            throw new PathEscapeException(path, "is absolute; paths are relative to the workspace");
        }
        Path current = root;
        String[] parts = path.split("/");
        List<String> clean = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new PathEscapeException(path, "contains '..'");
            }
            clean.add(part);
        }
        for (int i = 0; i < clean.size(); i++) {
            current = current.resolve(clean.get(i));
            if (i < clean.size() - 1 && Files.isSymbolicLink(current)) {
                throw new PathEscapeException(path, "passes through a symbolic link (" + relative(current) + ")");
            }
        }
        if (!current.normalize().startsWith(root)) {
            throw new PathEscapeException(path, "leaves the workspace");
        }
        return current;
    }

    /** The validated, non-empty components of a workspace-relative path ({@code .} gives none). */
    static List<String> components(String path) {
        if (path == null) {
            throw new PathEscapeException("null", "is missing");
        }
        if (path.indexOf('\0') >= 0) {
            throw new PathEscapeException(path.replace('\0', '?'), "contains a NUL byte");
        }
        if (path.startsWith("/")) {
            throw new PathEscapeException(path, "is absolute; paths are relative to the workspace");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new PathEscapeException(path, "contains '..'");
            }
            parts.add(part);
        }
        return parts;
    }

    /**
     * Opens the directory named by {@code parts} relative to the root one component at a time with
     * {@code openat(O_NOFOLLOW)}, so no symbolic link is followed and a concurrent swap of a directory
     * for a link cannot redirect the access. Missing directories are created when {@code create}.
     */
    private SecureDirectoryStream<Path> openDirectory(List<String> parts, boolean create, String original)
            throws IOException {
        DirectoryStream<Path> rootStream = Files.newDirectoryStream(realRoot);
        if (!(rootStream instanceof SecureDirectoryStream<Path> current)) {
            rootStream.close();
            throw new SandboxException("this platform offers no race-free directory access (SecureDirectoryStream)");
        }
        Path host = realRoot;
        try {
            for (String part : parts) {
                Path name = Path.of(part);
                host = host.resolve(part);
                SecureDirectoryStream<Path> next;
                try {
                    next = current.newDirectoryStream(name, NOFOLLOW);
                } catch (NoSuchFileException e) {
                    if (!create) {
                        throw new SandboxException("no such directory: " + original);
                    }
                    try {
                        Files.createDirectory(host);
                    } catch (FileAlreadyExistsException raced) {
                        // created concurrently: the NOFOLLOW open below decides
                    }
                    next = current.newDirectoryStream(name, NOFOLLOW);
                    ownRelative(current, name);
                } catch (FileSystemException e) {
                    BasicFileAttributes a = current.getFileAttributeView(
                                    name, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                            .readAttributes();
                    if (a.isSymbolicLink()) {
                        throw new PathEscapeException(
                                original, "passes through a symbolic link (" + relative(host) + ")");
                    }
                    throw new SandboxException("not a directory: " + relative(host));
                }
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    private void ownRelative(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        if (ownerUid.isPresent()) {
            var lookup = realRoot.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW);
            view.setOwner(lookup.lookupPrincipalByName(String.valueOf(ownerUid.getAsInt())));
            view.setGroup(lookup.lookupPrincipalByGroupName(String.valueOf(ownerUid.getAsInt())));
        }
    }

    /** Resolves a directory that must exist and must not be a symbolic link. */
    public Path resolveDirectory(String path) {
        Path dir = resolve(path);
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW);
            if (a.isSymbolicLink()) {
                throw new PathEscapeException(path, "is a symbolic link");
            }
            if (!a.isDirectory()) {
                throw new SandboxException("not a directory: " + path);
            }
        } catch (NoSuchFileException e) {
            throw new SandboxException("no such directory: " + path);
        } catch (IOException e) {
            throw new SandboxException("cannot read " + path + ": " + e.getMessage(), e);
        }
        checkStillInside(dir, path);
        return dir;
    }

    /** Reads a whole regular file. */
    public byte[] read(String path) {
        try (InputStream in = openRead(path)) {
            return in.readNBytes((int) MAX_READ_BYTES + 1);
        } catch (IOException e) {
            throw new SandboxException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Opens a regular file for reading without following links (race-free, see {@link #openDirectory}). */
    public InputStream openRead(String path) {
        List<String> parts = components(path);
        if (parts.isEmpty()) {
            throw new SandboxException("not a regular file: " + path);
        }
        try (SecureDirectoryStream<Path> dir = openDirectory(parts.subList(0, parts.size() - 1), false, path)) {
            Path name = Path.of(parts.getLast());
            PosixFileAttributes a = dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
            if (a.isSymbolicLink()) {
                throw new PathEscapeException(path, "is a symbolic link");
            }
            if (!a.isRegularFile()) {
                throw new SandboxException("not a regular file: " + path);
            }
            if (a.size() > MAX_READ_BYTES) {
                throw new SandboxException(
                        "file too large to read: " + path + " (" + a.size() + " bytes > " + MAX_READ_BYTES + ")");
            }
            SeekableByteChannel ch = dir.newByteChannel(name, Set.of(StandardOpenOption.READ, NOFOLLOW));
            return Channels.newInputStream(ch);
        } catch (NoSuchFileException e) {
            throw new SandboxException("no such file: " + path);
        } catch (FileSystemException e) {
            throw refusedOrFailed(path, e);
        } catch (IOException e) {
            throw new SandboxException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Creates or replaces a regular file, creating parent directories. */
    public void write(String path, byte[] content) {
        try (OutputStream out = openWrite(path, 0644)) {
            out.write(content);
        } catch (IOException e) {
            throw new SandboxException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Opens a regular file for writing (created or truncated) without following links (race-free). */
    public OutputStream openWrite(String path, int mode) {
        List<String> parts = components(path);
        if (parts.isEmpty()) {
            throw new SandboxException("cannot write the workspace root as a file");
        }
        try (SecureDirectoryStream<Path> dir = openDirectory(parts.subList(0, parts.size() - 1), true, path)) {
            Path name = Path.of(parts.getLast());
            boolean existed;
            try {
                BasicFileAttributes a = dir.getFileAttributeView(
                                name, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                        .readAttributes();
                if (a.isSymbolicLink()) {
                    throw new PathEscapeException(path, "is a symbolic link");
                }
                if (!a.isRegularFile()) {
                    throw new SandboxException("not a regular file: " + path);
                }
                existed = true;
            } catch (NoSuchFileException e) {
                existed = false;
            }
            SeekableByteChannel ch = dir.newByteChannel(
                    name,
                    Set.of(
                            StandardOpenOption.WRITE,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            NOFOLLOW),
                    PosixFilePermissions.asFileAttribute(permissions(mode)));
            if (!existed) {
                dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW)
                        .setPermissions(permissions(mode));
                ownRelative(dir, name);
            }
            return Channels.newOutputStream(ch);
        } catch (FileSystemException e) {
            throw refusedOrFailed(path, e);
        } catch (IOException e) {
            throw new SandboxException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Creates a directory and its parents, refusing links on the way. */
    public void mkdirs(String path) {
        try {
            openDirectory(components(path), true, path).close();
        } catch (IOException e) {
            throw new SandboxException("cannot create directory " + path + ": " + e.getMessage(), e);
        }
    }

    /** Creates a symbolic link whose target stays inside the workspace (relative, no escape). */
    public void symlink(String path, String target) {
        Path link = resolve(path);
        if (target.startsWith("/") || target.indexOf('\0') >= 0) {
            throw new PathEscapeException(path, "links to an absolute target '" + target + "'");
        }
        Path effective = parentOf(link).resolve(target).normalize();
        if (!effective.startsWith(root)) {
            throw new PathEscapeException(path, "links outside the workspace ('" + target + "')");
        }
        try {
            createDirectories(parentOf(link));
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(target));
            ownerUid.ifPresent(uid -> chown(link, uid));
        } catch (IOException e) {
            throw new SandboxException("cannot create link " + path + ": " + e.getMessage(), e);
        }
    }

    /** Lists a directory, sorted by name (race-free). */
    public List<FileEntry> list(String directory) {
        List<String> parts = components(directory);
        String prefix = parts.isEmpty() ? "" : String.join("/", parts) + "/";
        List<FileEntry> entries = new ArrayList<>();
        try (SecureDirectoryStream<Path> dir = openDirectory(parts, false, directory)) {
            for (Path p : dir) {
                Path name = p.getFileName();
                try {
                    entries.add(entry(
                            prefix + name,
                            dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW)
                                    .readAttributes()));
                } catch (NoSuchFileException e) {
                    // removed while listing
                }
            }
        } catch (FileSystemException e) {
            throw refusedOrFailed(directory, e);
        } catch (IOException e) {
            throw new SandboxException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(FileEntry::path));
        return entries;
    }

    /** Metadata of one entry, not following a final link (race-free). */
    public FileEntry stat(String path) {
        List<String> parts = components(path);
        try {
            if (parts.isEmpty()) {
                return entry(".", Files.readAttributes(realRoot, PosixFileAttributes.class, NOFOLLOW));
            }
            try (SecureDirectoryStream<Path> dir = openDirectory(parts.subList(0, parts.size() - 1), false, path)) {
                Path name = Path.of(parts.getLast());
                return entry(
                        String.join("/", parts),
                        dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW)
                                .readAttributes());
            }
        } catch (NoSuchFileException e) {
            throw new SandboxException("no such file: " + path);
        } catch (FileSystemException e) {
            throw refusedOrFailed(path, e);
        } catch (IOException e) {
            throw new SandboxException("cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    /** The workspace-relative form of a host path inside the root. */
    public String relative(Path p) {
        String rel = root.relativize(p).toString();
        return rel.isEmpty() ? "." : rel;
    }

    private static FileEntry entry(String relativePath, PosixFileAttributes a) {
        FileEntry.Type type = a.isSymbolicLink()
                ? FileEntry.Type.SYMLINK
                : a.isDirectory()
                        ? FileEntry.Type.DIRECTORY
                        : a.isRegularFile() ? FileEntry.Type.FILE : FileEntry.Type.OTHER;
        return new FileEntry(
                relativePath,
                type,
                type == FileEntry.Type.FILE ? a.size() : 0,
                mode(a.permissions()),
                a.lastModifiedTime().toInstant());
    }

    private void createDirectories(Path dir) throws IOException {
        if (dir.equals(root)) {
            return;
        }
        if (!dir.startsWith(root)) {
            throw new PathEscapeException(relative(dir), "leaves the workspace");
        }
        createDirectories(parentOf(dir));
        try {
            Files.createDirectory(dir);
            own(dir);
        } catch (FileAlreadyExistsException e) {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW);
            if (a.isSymbolicLink()) {
                throw new PathEscapeException(relative(dir), "is a symbolic link");
            }
            if (!a.isDirectory()) {
                throw new SandboxException("not a directory: " + relative(dir));
            }
        }
    }

    /** The parent of a resolved path below the root (which always has one). */
    private static Path parentOf(Path below) {
        return Objects.requireNonNull(below.getParent(), below::toString);
    }

    private void checkStillInside(Path p, String original) {
        try {
            Path parent = p.equals(root) ? p : parentOf(p);
            if (!parent.toRealPath().startsWith(realRoot)) {
                throw new PathEscapeException(original, "left the workspace through a link swapped in concurrently");
            }
        } catch (IOException e) {
            throw new SandboxException("cannot check " + original + ": " + e.getMessage(), e);
        }
    }

    private void own(Path p) {
        ownerUid.ifPresent(uid -> chown(p, uid));
    }

    private static void chown(Path p, int uid) {
        try {
            Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
            Files.setAttribute(p, "unix:gid", uid, NOFOLLOW);
        } catch (IOException e) {
            throw new SandboxException("cannot give " + p + " to uid " + uid + ": " + e.getMessage(), e);
        }
    }

    private static SandboxException refusedOrFailed(String path, FileSystemException e) {
        String reason = String.valueOf(e.getReason());
        if (reason.contains("symbolic links") || reason.contains("ELOOP")) {
            return new PathEscapeException(path, "is a symbolic link");
        }
        return new SandboxException("cannot access " + path + ": " + e.getMessage(), e);
    }

    /** POSIX permission bits of a permission set. */
    public static int mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    /** The permission set of POSIX permission bits. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                perms.add(p);
            }
        }
        return perms;
    }
}
