package dev.drydock.server.audit;

/** The JSON-lines shape of an exported record (the same for the API and the CLI). */
public final class AuditJson {
    private AuditJson() {}

    public static String line(AuditRecord r) {
        return "{\"seq\":" + r.seq()
                + ",\"at\":" + AuditRecord.jsonString(r.recordedAt())
                + ",\"actor\":" + AuditRecord.jsonString(r.actor())
                + ",\"workspace\":" + (r.workspace() == null ? "null" : AuditRecord.jsonString(r.workspace()))
                + ",\"session\":" + (r.sessionId() == null ? "null" : AuditRecord.jsonString(r.sessionId()))
                + ",\"action\":" + AuditRecord.jsonString(r.action())
                + ",\"target\":" + AuditRecord.jsonString(r.target())
                + ",\"details\":" + r.details()
                + ",\"prevHash\":\"" + r.prevHash() + "\""
                + ",\"hash\":\"" + r.hash() + "\"}";
    }
}
