package dev.drydock.sandbox.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * Test DNS: names under {@code .test} (reserved by RFC 2606, never on a real network) resolve to
 * 127.0.0.1, every other name as the system resolves it. For package mirrors that must not look like
 * loopback to the client: Go never sends a request for {@code localhost} or a loopback address through
 * a proxy, so a test GOPROXY on this machine needs a name ({@code go.mirror.test}) that the backend's
 * proxy, in this JVM, resolves here. Registered in {@code META-INF/services}.
 */
public final class TestNames extends InetAddressResolverProvider {
    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver system = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.endsWith(".test")) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
                }
                return system.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return system.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "drydock-test-names";
    }
}
