package io.tocsin.gateway;

import io.tocsin.config.Topics;
import io.tocsin.config.Topology;
import java.net.URI;

/**
 * The incident board's settings.
 *
 * @param incidentEventsTopic the job's lifecycle stream the board folds
 * @param commandsTopic where board actions go as Commands
 * @param topology the services graph for the dependency neighbourhood
 * @param users who may act, in which role ({@link BoardUsers})
 * @param clickHouse ClickHouse's HTTP interface for the history search, or null
 * @param clickHouseDatabase the database the job writes
 * @param maxClosed resolved incidents the board keeps in memory
 */
public record BoardConfig(
        String incidentEventsTopic,
        String commandsTopic,
        Topology topology,
        BoardUsers users,
        URI clickHouse,
        String clickHouseDatabase,
        int maxClosed) {

    public static BoardConfig defaults(String topicPrefix) {
        return new BoardConfig(
                topicPrefix + Topics.INCIDENT_EVENTS.name(),
                topicPrefix + Topics.COMMANDS.name(),
                Topology.empty(),
                BoardUsers.none(),
                null,
                "default",
                2_000);
    }

    public BoardConfig withTopology(Topology t) {
        return new BoardConfig(
                incidentEventsTopic,
                commandsTopic,
                t,
                users,
                clickHouse,
                clickHouseDatabase,
                maxClosed);
    }

    public BoardConfig withUsers(BoardUsers u) {
        return new BoardConfig(
                incidentEventsTopic,
                commandsTopic,
                topology,
                u,
                clickHouse,
                clickHouseDatabase,
                maxClosed);
    }

    public BoardConfig withClickHouse(URI url, String database) {
        return new BoardConfig(
                incidentEventsTopic, commandsTopic, topology, users, url, database, maxClosed);
    }
}
