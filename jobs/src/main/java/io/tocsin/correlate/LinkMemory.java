package io.tocsin.correlate;

import io.tocsin.config.CorrelationPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the correlator learns from the alerts of one partition, in event-time order: where each
 * service runs (the domains its alerts carry), which domains run the same services (copies of each
 * other, such as regions), and which services fail together (alert bursts that start within minutes
 * of each other, again and again). Plain state, one object per partition key; every update is a
 * function of the alerts so far, so replays give the same links.
 *
 * <p>Bounded: at most {@code learning.maxPairs} pairs (the least recently seen are dropped first;
 * about 120 bytes each), one entry of about 100 bytes per service and domain, and the bursts of the
 * last {@code learning.window}; entries not seen for {@code learning.retention} are forgotten.
 */
public class LinkMemory {

    /** How often two services' bursts started together, and which started first. */
    public static class Pair {
        public int together;

        /** Of those, how often the first-named service (the smaller name) started first. */
        public int firstStartedFirst;

        public long lastSeenMillis;

        public Pair() {}
    }

    /** service → domains its alerts carried. */
    public Map<String, TreeSet<String>> domains = new HashMap<>();

    /** "domainA SEP domainB" (sorted) → services seen in both. */
    public Map<String, Integer> sharedServices = new HashMap<>();

    /** domain → services seen in it. */
    public Map<String, Integer> domainSizes = new HashMap<>();

    /** "service SEP domain" → startsAt of its latest alert (a burst continues within burstGap). */
    public Map<String, Long> lastStart = new HashMap<>();

    /** service → bursts counted. */
    public Map<String, Integer> bursts = new HashMap<>();

    /** "a SEP b" (a before b by name) → co-occurrence counts. */
    public Map<String, Pair> pairs = new HashMap<>();

    /** Recent bursts, oldest first: [service, domain, startsAt]. */
    public List<String[]> recent = new ArrayList<>();

    /**
     * "domainA SEP domainB" (sorted) → bursts in the two that started together on two services a
     * known call links: evidence that calls cross between them.
     */
    public Map<String, Integer> crossDomainEvidence = new HashMap<>();

    /** caller → callees learned (the callee's bursts start first). */
    public Map<String, TreeSet<String>> learnedCalls = new HashMap<>();

    /** service → services it fails together with, no direction known. */
    public Map<String, TreeSet<String>> coFailing = new HashMap<>();

    public long sweptAtMillis;

    /**
     * Whether anything beyond {@link #lastStart} changed since {@link #takeChanges} was last
     * called; most alerts only move their burst's latest start, so state is written whole only when
     * this is set (not stored: transient fields are not part of the state).
     */
    private transient boolean changedBeyondStarts;

    /** The {@link #lastStart} keys moved since {@link #takeChanges} was last called. */
    private transient java.util.Set<String> startsMoved;

    /** Separates the parts of a composite key (never in a label value one would use). */
    static final String SEP = "\u001f";

    public LinkMemory() {}

    /** Whether an alert of {@code service} has been seen in {@code domain}. */
    public boolean runsIn(String service, String domain) {
        TreeSet<String> d = domains.get(service);
        return d != null && d.contains(domain);
    }

    /**
     * Whether two domains run the same services (at least 2, and a quarter of the smaller one's):
     * copies such as regions, where a call stays inside its copy.
     */
    public boolean copies(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        int shared = sharedServices.getOrDefault(key(a, b), 0);
        int smaller = Math.min(domainSizes.getOrDefault(a, 0), domainSizes.getOrDefault(b, 0));
        return shared >= 2 && shared * 4 >= smaller;
    }

    /**
     * Whether a call from {@code caller} in {@code callerDomain} to {@code callee} can reach the
     * callee's copy in {@code calleeDomain}: same domain; or another domain that is no copy of the
     * caller's, when the callee has not been seen in the caller's domain (it runs elsewhere).
     */
    public boolean reaches(String callerDomain, String callee, String calleeDomain) {
        if (callerDomain.equals(calleeDomain)) {
            return true;
        }
        return !runsIn(callee, callerDomain)
                && !copies(callerDomain, calleeDomain)
                && crossDomainEvidence.getOrDefault(key(callerDomain, calleeDomain), 0)
                        >= CROSS_DOMAIN_EVIDENCE;
    }

    /**
     * Bursts in two domains that start together on services a known call links, before calls
     * between the domains are followed: two unrelated faults in two regions coincide now and then,
     * a shared database and its callers do every time it fails.
     */
    static final int CROSS_DOMAIN_EVIDENCE = 3;

    /**
     * Records a firing alert of {@code service} in {@code domain} that started at {@code startsAt}:
     * where the service runs and, when it starts a new burst, which other bursts it came with.
     */
    public void observe(
            String service,
            String domain,
            long startsAt,
            CorrelationPolicy.Learning learning,
            java.util.function.BiPredicate<String, String> knownCall) {
        if (service == null) {
            return;
        }
        if (place(service, domain)) {
            changedBeyondStarts = true;
        }
        String node = node(service, domain);
        Long last = lastStart.get(node);
        lastStart.put(node, last == null ? startsAt : Math.max(last, startsAt));
        if (startsMoved == null) {
            startsMoved = new java.util.HashSet<>();
        }
        startsMoved.add(node);
        if (last != null && startsAt - last < learning.burstGap().toMillis()) {
            return; // the same burst
        }
        changedBeyondStarts = true;
        long window = learning.window().toMillis();
        recent.removeIf(r -> Long.parseLong(r[2]) < startsAt - window);
        if (learning.enabled()) {
            bursts.merge(service, 1, Integer::sum);
        }
        TreeSet<String> counted = new TreeSet<>();
        TreeSet<String> crossed = new TreeSet<>();
        for (String[] r : recent) {
            String other = r[0];
            if (!r[1].equals(domain)
                    && !other.equals(service)
                    && Math.abs(Long.parseLong(r[2]) - startsAt) <= window
                    && crossed.add(r[1] + SEP + other)
                    && knownCall.test(service, other)) {
                crossDomainEvidence.merge(key(domain, r[1]), 1, Integer::sum);
            }
            if (!learning.enabled()
                    || other.equals(service)
                    || !counted.add(other)
                    || Math.abs(Long.parseLong(r[2]) - startsAt) > window
                    || !(reaches(domain, other, r[1]) || reaches(r[1], service, domain))) {
                continue;
            }
            boolean otherFirst = Long.parseLong(r[2]) <= startsAt;
            count(service, other, otherFirst, startsAt, learning);
        }
        recent.add(new String[] {service, domain, Long.toString(startsAt)});
        if (startsAt - sweptAtMillis > learning.retention().toMillis() / 14
                || pairs.size() > learning.maxPairs()) {
            sweep(startsAt, learning);
        }
    }

    /** The {@link #lastStart} key of a service in a domain. */
    static String node(String service, String domain) {
        return service + SEP + domain;
    }

    /** What {@link #observe} changed since the last call: see {@link LearnedLinksStore}. */
    record Changes(boolean beyondStarts, java.util.Set<String> startsMoved) {}

    /** What changed since the previous call (and forgets it). */
    Changes takeChanges() {
        Changes c =
                new Changes(
                        changedBeyondStarts,
                        startsMoved == null ? java.util.Set.of() : startsMoved);
        changedBeyondStarts = false;
        startsMoved = null;
        return c;
    }

    /**
     * Heap bytes this memory holds, roughly: a per-entry estimate for each kind (JDK 17, compressed
     * pointers, names of about 20 characters), used to bound the heap cache, not for accounting.
     */
    long estimatedBytes() {
        return 1_000L
                + 120L * pairs.size()
                + 100L * (domains.size() + lastStart.size() + bursts.size())
                + 80L * (sharedServices.size() + domainSizes.size() + crossDomainEvidence.size())
                + 90L * recent.size()
                + 60L * (learnedCalls.size() + coFailing.size());
    }

    /** Whether the domain is new for the service (then the shared-services counts moved). */
    private boolean place(String service, String domain) {
        TreeSet<String> in = domains.computeIfAbsent(service, k -> new TreeSet<>());
        if (!in.add(domain)) {
            return false;
        }
        domainSizes.merge(domain, 1, Integer::sum);
        for (String other : in) {
            if (!other.equals(domain)) {
                sharedServices.merge(key(domain, other), 1, Integer::sum);
            }
        }
        return true;
    }

    private void count(
            String service,
            String other,
            boolean otherFirst,
            long at,
            CorrelationPolicy.Learning learning) {
        String a = service.compareTo(other) < 0 ? service : other;
        String b = a.equals(service) ? other : service;
        Pair p = pairs.computeIfAbsent(key(a, b), k -> new Pair());
        p.together++;
        boolean aFirst = a.equals(other) == otherFirst;
        if (aFirst) {
            p.firstStartedFirst++;
        }
        p.lastSeenMillis = at;
        classify(a, b, p, learning);
    }

    /** Puts the pair among the learned calls, the co-failing services, or neither. */
    private void classify(String a, String b, Pair p, CorrelationPolicy.Learning learning) {
        unlink(a, b);
        int rarer = Math.min(bursts.getOrDefault(a, 0), bursts.getOrDefault(b, 0));
        if (p.together < learning.minSupport() || p.together < learning.minConfidence() * rarer) {
            return;
        }
        if (p.firstStartedFirst * 4 >= p.together * 3) {
            learnedCalls.computeIfAbsent(b, k -> new TreeSet<>()).add(a); // a fails first
        } else if ((p.together - p.firstStartedFirst) * 4 >= p.together * 3) {
            learnedCalls.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
        } else {
            coFailing.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
            coFailing.computeIfAbsent(b, k -> new TreeSet<>()).add(a);
        }
    }

    private void unlink(String a, String b) {
        removeFrom(learnedCalls, a, b);
        removeFrom(learnedCalls, b, a);
        removeFrom(coFailing, a, b);
        removeFrom(coFailing, b, a);
    }

    private static void removeFrom(Map<String, TreeSet<String>> m, String k, String v) {
        TreeSet<String> s = m.get(k);
        if (s != null && s.remove(v) && s.isEmpty()) {
            m.remove(k);
        }
    }

    /** Forgets what was not seen within the retention, then the oldest pairs over the cap. */
    private void sweep(long now, CorrelationPolicy.Learning learning) {
        sweptAtMillis = now;
        long before = now - learning.retention().toMillis();
        List<Map.Entry<String, Pair>> old = new ArrayList<>();
        for (Map.Entry<String, Pair> e : new TreeMap<>(pairs).entrySet()) {
            if (e.getValue().lastSeenMillis < before) {
                old.add(e);
            }
        }
        int over = pairs.size() - old.size() - learning.maxPairs();
        if (over > 0) {
            List<Map.Entry<String, Pair>> byAge = new ArrayList<>(new TreeMap<>(pairs).entrySet());
            byAge.removeAll(old);
            byAge.sort(
                    Comparator.comparingLong(
                                    (Map.Entry<String, Pair> e) -> e.getValue().lastSeenMillis)
                            .thenComparing(Map.Entry::getKey));
            old.addAll(byAge.subList(0, over));
        }
        for (Map.Entry<String, Pair> e : old) {
            String[] ab = e.getKey().split(SEP, 2);
            unlink(ab[0], ab[1]);
            pairs.remove(e.getKey());
        }
        // Confidence falls as services burst more: classify the pairs left again.
        for (Map.Entry<String, Pair> e : new TreeMap<>(pairs).entrySet()) {
            String[] ab = e.getKey().split(SEP, 2);
            classify(ab[0], ab[1], e.getValue(), learning);
        }
        lastStart.values().removeIf(t -> t < before);
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + SEP + b : b + SEP + a;
    }
}
