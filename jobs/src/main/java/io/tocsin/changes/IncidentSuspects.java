package io.tocsin.changes;

import java.util.ArrayList;
import java.util.List;

/**
 * What the changes stage keeps per incident (keyed state): what the ranking needs and the ranking
 * last announced. About 100 bytes plus the service names and the signature (at most maxSuspects
 * change ids): under 1 KB for an incident of 10 services.
 */
public class IncidentSuspects {

    public List<String> services = new ArrayList<>();
    public long firstAlertAt;
    public long lastEventAt;
    public boolean open = true;

    /** The announced ranking ({@link SuspectEvidence#signature}); empty before the first. */
    public String signature = "";

    /** When the state is dropped (keepFor after the incident's last event). */
    public long expiresAt;

    public IncidentSuspects() {}
}
