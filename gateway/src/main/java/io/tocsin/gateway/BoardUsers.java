package io.tocsin.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who may act from the incident board, and in which role: each user is known by a bearer token
 * and/or by the common name (CN) of a TLS client certificate the gateway's truststore trusts. The
 * acting user and role of a board action come from here, never from the request's form, and the job
 * applies its command rules to that role like any command's.
 *
 * <pre>
 * users:
 *   - {name: alice, role: responder, token: "a-long-random-token"}
 *   - {name: bob, role: team-lead, certificateCn: bob.example.org}
 * </pre>
 */
public final class BoardUsers {

    /** One board user: the command's actor and role. */
    public record User(String name, String role) {}

    private record Entry(User user, byte[] bearer, String cn) {}

    private final List<Entry> entries;

    private BoardUsers(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static BoardUsers none() {
        return new BoardUsers(List.of());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** A users file as above; a bad entry is an error naming the file, the entry and the field. */
    public static BoardUsers load(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    public static BoardUsers parse(String fileName, String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(fileName + ": not YAML: " + e.getMessage());
        }
        JsonNode users = root == null ? null : root.get("users");
        if (users == null || !users.isArray()) {
            throw new IllegalArgumentException(fileName + ": users: expected a list of users");
        }
        List<Entry> out = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < users.size(); i++) {
            JsonNode u = users.get(i);
            String where = fileName + ": users[" + i + "]";
            if (!u.isObject()) {
                throw new IllegalArgumentException(where + ": expected {name, role, token}");
            }
            String name = text(u, "name", where);
            String role = text(u, "role", where);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(where + ".name: required");
            }
            if (role == null || role.isBlank()) {
                throw new IllegalArgumentException(where + ".role: required");
            }
            String token = text(u, "token", where);
            String cn = text(u, "certificateCn", where);
            if ((token == null || token.isBlank()) && (cn == null || cn.isBlank())) {
                throw new IllegalArgumentException(
                        where + ": needs a token or a certificateCn to be recognised by");
            }
            if (token != null && token.length() < 16) {
                throw new IllegalArgumentException(
                        where + ".token: at least 16 characters (it is a password)");
            }
            if (token != null && !tokens.add(token)) {
                throw new IllegalArgumentException(where + ".token: used by another user");
            }
            out.add(
                    new Entry(
                            new User(name.trim(), role.trim()),
                            token == null
                                    ? null
                                    : ("Bearer " + token).getBytes(StandardCharsets.UTF_8),
                            cn == null || cn.isBlank() ? null : cn.trim()));
        }
        return new BoardUsers(out);
    }

    private static String text(JsonNode u, String field, String where) {
        JsonNode v = u.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException(where + "." + field + ": expected a string");
        }
        return v.asText();
    }

    /**
     * The user a request authenticates as: by its {@code Authorization} header, else by its TLS
     * client certificate's CN; null when neither names a board user.
     */
    public User identify(String authorization, X509Certificate[] clientCertificates) {
        if (authorization != null) {
            byte[] given = authorization.trim().getBytes(StandardCharsets.UTF_8);
            for (Entry e : entries) {
                if (e.bearer != null && MessageDigest.isEqual(e.bearer, given)) {
                    return e.user;
                }
            }
        }
        if (clientCertificates != null && clientCertificates.length > 0) {
            String cn = commonName(clientCertificates[0]);
            if (cn != null) {
                for (Entry e : entries) {
                    if (cn.equals(e.cn)) {
                        return e.user;
                    }
                }
            }
        }
        return null;
    }

    /** True when the header is one of the board users' bearer tokens. */
    public boolean isUserToken(String authorization) {
        return authorization != null && identify(authorization, null) != null;
    }

    static String commonName(X509Certificate c) {
        try {
            for (Rdn r : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (r.getType().equalsIgnoreCase("CN")) {
                    return r.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
