package dev.drydock.server.gateway.core;

import java.util.List;
import java.util.Optional;

/** The endpoints and routes in force right now (configuration plus what admins stored). */
public interface EndpointCatalog {
    List<EndpointSpec> endpoints();

    List<RouteSpec> routes();

    /** The endpoint of that name; runs for every request (a plain loop, no stream). */
    default Optional<EndpointSpec> endpoint(String name) {
        for (EndpointSpec e : endpoints()) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** A fixed catalog. */
    static EndpointCatalog of(List<EndpointSpec> endpoints, List<RouteSpec> routes) {
        List<EndpointSpec> e = List.copyOf(endpoints);
        List<RouteSpec> r = List.copyOf(routes);
        return new EndpointCatalog() {
            @Override
            public List<EndpointSpec> endpoints() {
                return e;
            }

            @Override
            public List<RouteSpec> routes() {
                return r;
            }
        };
    }
}
