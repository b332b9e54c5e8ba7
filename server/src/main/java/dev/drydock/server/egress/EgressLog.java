package dev.drydock.server.egress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Records refused outbound requests (table {@code egress_refusal}) and logs each one, then announces
 * each as a CDI event: the audit side observes it and seals it into the audit trail.
 */
@ApplicationScoped
public class EgressLog implements EgressListener {
    private static final Logger LOG = Logger.getLogger(EgressLog.class);

    @Inject DataSource dataSource;
    @Inject Event<EgressRefusal> refusals;

    @Override
    public void refused(EgressRefusal r) {
        LOG.warnf("egress refused: %s (%s) for %s", r.host(), r.url(), r.purpose());
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into egress_refusal (host, url, purpose, created_at) values (?, ?, ?, ?)")) {
            ps.setString(1, r.host());
            ps.setString(2, r.url());
            ps.setString(3, r.purpose());
            ps.setTimestamp(4, Timestamp.from(r.at()));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.errorf("cannot record egress refusal of %s: %s", r.host(), e.getMessage());
        }
        refusals.fire(r);
    }

    public List<EgressRefusal> recent(int limit) {
        List<EgressRefusal> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select host, url, purpose, created_at from egress_refusal order by id desc limit ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EgressRefusal(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read egress refusals", e);
        }
        return out;
    }
}
