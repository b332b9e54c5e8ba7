package dev.drydock.installer.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The few calls of the OCI distribution API a push needs: blob existence, monolithic blob upload,
 * manifest upload. Anonymous or HTTP Basic authentication (token authentication is not supported).
 */
public final class RegistryClient {
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final URI base;
    private final Optional<String> authorization;

    /**
     * @param registry {@code host[:port]}
     * @param plainHttp use http instead of https (a registry on localhost)
     * @param basicAuth {@code user:password}, if the registry wants a login
     */
    public RegistryClient(String registry, boolean plainHttp, Optional<String> basicAuth) {
        this.base = URI.create((plainHttp ? "http://" : "https://") + registry);
        this.authorization =
                basicAuth.map(a -> "Basic " + Base64.getEncoder().encodeToString(a.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether the repository already holds the blob. */
    public boolean hasBlob(String repository, String digest) throws IOException {
        HttpResponse<Void> r = send(
                request("/v2/" + repository + "/blobs/" + digest).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        throw failure("HEAD blob " + digest + " of " + repository, r.statusCode(), "");
    }

    /** Uploads a blob in one request (POST to open an upload, PUT with the digest). */
    public void uploadBlob(String repository, String digest, Path file) throws IOException {
        HttpResponse<String> start = send(
                request("/v2/" + repository + "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) {
            throw failure("start upload of " + digest + " to " + repository, start.statusCode(), start.body());
        }
        String location = start.headers()
                .firstValue("Location")
                .orElseThrow(() -> new IOException("registry sent no upload Location for " + repository));
        URI upload = base.resolve(location);
        String sep = upload.getQuery() == null ? "?" : "&";
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + digest))
                .timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
        authorization.ifPresent(a -> put.header("Authorization", a));
        HttpResponse<String> done = send(put, HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw failure("upload of " + digest + " to " + repository, done.statusCode(), done.body());
        }
    }

    /** Uploads a manifest under a tag or its digest; returns the digest the registry computed. */
    public String putManifest(String repository, String reference, String mediaType, byte[] manifest)
            throws IOException {
        HttpResponse<String> r = send(
                request("/v2/" + repository + "/manifests/" + reference)
                        .header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw failure("manifest " + reference + " of " + repository, r.statusCode(), r.body());
        }
        return r.headers().firstValue("Docker-Content-Digest").orElse("");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        try {
            return http.send(request.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to " + base, e);
        } catch (IOException e) {
            throw new IOException(
                    "cannot reach " + base + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
    }

    private IOException failure(String what, int status, String body) {
        String hint = status == 401 ? " (the registry wants a login: --username and --password-env)" : "";
        return new IOException(what + " at " + base + " failed with HTTP " + status + hint
                + (body == null || body.isBlank() ? "" : ": " + body.strip()));
    }
}
