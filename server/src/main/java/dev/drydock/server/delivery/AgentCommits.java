package dev.drydock.server.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * What a session's agent ref holds: its newest commit, the provenance trailers the publisher wrote,
 * the base commit the droid started from, and the files changed since. Read from the mirror with
 * JGit; the commits are the record, no copy is kept.
 */
record AgentCommits(
        String head,
        String base,
        String subject,
        String body,
        Map<String, String> trailers,
        List<String> files,
        int commits) {

    /** Reads the agent ref of a session; empty when the session published nothing. */
    static Optional<AgentCommits> read(Path mirror, String ref, String sessionId) throws IOException {
        try (Git git = Git.open(mirror.toFile());
                RevWalk walk = new RevWalk(git.getRepository())) {
            Repository repo = git.getRepository();
            ObjectId id = repo.resolve(ref);
            if (id == null) {
                return Optional.empty();
            }
            RevCommit head = walk.parseCommit(id);
            RevCommit base = head;
            int commits = 0;
            while (base.getParentCount() > 0
                    && sessionId.equals(trailers(base.getFullMessage()).get("Drydock-Session"))) {
                commits++;
                base = walk.parseCommit(base.getParent(0));
            }
            List<String> files = new ArrayList<>();
            try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
                diff.setRepository(repo);
                for (DiffEntry e : diff.scan(base.getTree(), head.getTree())) {
                    files.add(e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath());
                }
            }
            String message = head.getFullMessage();
            return Optional.of(new AgentCommits(
                    head.name(),
                    base.name(),
                    head.getShortMessage(),
                    body(message),
                    trailers(message),
                    files,
                    commits));
        }
    }

    /**
     * The agent ref's commits since the base as {@code git format-patch --stdout} writes them (an mbox
     * that {@code git am} applies): one message per commit, oldest first, each with its author, date,
     * subject, body and full diff; empty when the session published nothing.
     */
    static Optional<String> formatPatch(Path mirror, String ref, String sessionId) throws IOException {
        try (Git git = Git.open(mirror.toFile());
                RevWalk walk = new RevWalk(git.getRepository())) {
            Repository repo = git.getRepository();
            ObjectId id = repo.resolve(ref);
            if (id == null) {
                return Optional.empty();
            }
            List<RevCommit> commits = new ArrayList<>();
            RevCommit c = walk.parseCommit(id);
            while (c.getParentCount() > 0
                    && sessionId.equals(trailers(c.getFullMessage()).get("Drydock-Session"))) {
                commits.add(0, c);
                c = walk.parseCommit(c.getParent(0));
            }
            StringBuilder out = new StringBuilder();
            java.time.format.DateTimeFormatter date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME;
            for (int i = 0; i < commits.size(); i++) {
                RevCommit commit = commits.get(i);
                RevCommit parent = walk.parseCommit(commit.getParent(0));
                org.eclipse.jgit.lib.PersonIdent author = commit.getAuthorIdent();
                String number = commits.size() == 1 ? "[PATCH]" : "[PATCH " + (i + 1) + "/" + commits.size() + "]";
                out.append("From ")
                        .append(commit.name())
                        .append(" Mon Sep 17 00:00:00 2001\n")
                        .append("From: ")
                        .append(author.getName())
                        .append(" <")
                        .append(author.getEmailAddress())
                        .append(">\n")
                        .append("Date: ")
                        .append(date.format(author.getWhenAsInstant().atZone(author.getZoneId())))
                        .append("\n")
                        .append("Subject: ")
                        .append(number)
                        .append(' ')
                        .append(commit.getShortMessage())
                        .append("\n\n");
                String message = commit.getFullMessage().strip();
                int firstBreak = message.indexOf("\n\n");
                if (firstBreak >= 0) {
                    out.append(message.substring(firstBreak + 2).strip()).append("\n");
                }
                out.append("---\n\n");
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                try (DiffFormatter diff = new DiffFormatter(bytes)) {
                    diff.setRepository(repo);
                    diff.format(parent.getTree(), commit.getTree());
                }
                out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                        .append("-- \nDrydock\n\n");
            }
            return commits.isEmpty() ? Optional.empty() : Optional.of(out.toString());
        }
    }

    /** The trailers of the message's last paragraph ({@code Key: value} lines). */
    static Map<String, String> trailers(String message) {
        String[] paragraphs = message.strip().split("\n\\s*\n");
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : paragraphs[paragraphs.length - 1].lines().toList()) {
            int colon = line.indexOf(": ");
            if (colon > 0 && line.substring(0, colon).matches("[A-Za-z][A-Za-z0-9-]*")) {
                out.put(line.substring(0, colon), line.substring(colon + 2).strip());
            }
        }
        return out;
    }

    /** The message between the subject line and the trailers. */
    private static String body(String message) {
        String[] paragraphs = message.strip().split("\n\\s*\n");
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < paragraphs.length - 1; i++) {
            b.append(paragraphs[i].strip()).append("\n\n");
        }
        return b.toString().strip();
    }

    boolean testsPassed() {
        return "passed".equals(trailers.get("Drydock-Test-Result"));
    }
}
