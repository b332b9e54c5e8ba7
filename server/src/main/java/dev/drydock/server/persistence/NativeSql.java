package dev.drydock.server.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.List;
import org.hibernate.query.NativeQuery;
import org.jspecify.annotations.Nullable;

/**
 * Native SQL through the EntityManager with positional parameters ({@code ?1, ?2, …}), each call in
 * the caller's transaction or one of its own. A {@code null} parameter is bound as a text column's
 * null (the only nullable parameters the callers have).
 */
@ApplicationScoped
public class NativeSql {
    @Inject
    EntityManager em;

    /** Runs an insert, update or delete; the number of rows it changed. */
    public int update(String sql, @Nullable Object... params) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> bind(em.createNativeQuery(sql), params).executeUpdate());
    }

    /** The rows of a query, each as its columns. */
    @SuppressWarnings("unchecked")
    public List<Object[]> rows(String sql, @Nullable Object... params) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<?> rows = bind(em.createNativeQuery(sql), params).getResultList();
            return rows.stream()
                    .map(r -> r instanceof Object[] a ? a : new Object[] {r})
                    .toList();
        });
    }

    /** The single value of a query that returns one row of one column. */
    public @Nullable Object one(String sql, @Nullable Object... params) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> bind(em.createNativeQuery(sql), params).getSingleResult());
    }

    @SuppressWarnings("unchecked")
    private static Query bind(Query query, @Nullable Object... params) {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                query.unwrap(NativeQuery.class).setParameter(i + 1, null, String.class);
            } else {
                query.setParameter(i + 1, p);
            }
        }
        return query;
    }
}
