package dev.drover.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Removes the consumer-group members a killed process left behind in a broker that ran inside it.
 *
 * <p>The broker and its clients die together, but the groups' members are stored with the group and come back when
 * the broker starts again. A classic-protocol group keeps such a member until its session times out
 * ({@code session.timeout.ms}, 45 s by default), and until then the broker parks every new member's join: the
 * restarted services' loops get no partitions, and closing one of them waits for that parked join. Right after a
 * start that follows an unclean shutdown no client of this process has connected yet, so every member present is a
 * leftover; they are removed before anything joins.
 */
final class LeftoverGroupMembers {

  private static final Logger LOG = LoggerFactory.getLogger(LeftoverGroupMembers.class);
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String OFFSETS_TOPIC = "__consumer_offsets";

  private LeftoverGroupMembers() {
  }

  /** Removes every member of every classic consumer group on the broker at {@code bootstrapServers}. */
  static void removeAll(String bootstrapServers) throws InterruptedException {
    long started = System.nanoTime();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<String> removedFrom = new ArrayList<>();
      int members = 0;
      for (ConsumerGroupDescription group : withMembers(admin)) {
        admin.removeMembersFromConsumerGroup(group.groupId(), new RemoveMembersFromConsumerGroupOptions())
            .all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        removedFrom.add(group.groupId());
        members += group.members().size();
      }
      if (!removedFrom.isEmpty()) {
        LOG.warn("Removed {} consumer-group member(s) the killed process left in {} in {} ms", members, removedFrom,
            (System.nanoTime() - started) / 1_000_000);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      // Not fatal: the members would still expire on their own, only later.
      LOG.warn("Could not remove the consumer-group members a killed process left behind; they expire with their "
          + "sessions: {}", String.valueOf(e.getCause() == null ? e : e.getCause()));
    }
  }

  private static Collection<ConsumerGroupDescription> withMembers(Admin admin)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    if (!awaitGroupCoordinator(admin)) {
      return List.of();
    }
    Collection<GroupListing> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()
        .withTypes(Set.of(GroupType.CLASSIC))).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    if (groups.isEmpty()) {
      return List.of();
    }
    return admin.describeConsumerGroups(groups.stream().map(GroupListing::groupId).toList()).all()
        .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).values().stream()
        .filter(g -> !g.members().isEmpty()).toList();
  }

  /**
   * Waits until the group coordinator has loaded every partition of {@code __consumer_offsets}: it loads them just
   * after the broker reports ready, and until then listing groups silently leaves out the ones not loaded yet.
   * Describing a group waits (the admin client retries) until the partition that owns it is loaded, so one made-up
   * group per partition is described.
   *
   * @return false if there is no {@code __consumer_offsets} topic, hence no group
   */
  private static boolean awaitGroupCoordinator(Admin admin)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    int partitions;
    try {
      partitions = admin.describeTopics(List.of(OFFSETS_TOPIC)).allTopicNames()
          .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).get(OFFSETS_TOPIC).partitions().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
    Set<Integer> covered = new HashSet<>();
    List<String> probes = new ArrayList<>();
    for (int i = 0; covered.size() < partitions; i++) {
      String probe = "drover-embedded-load-probe-" + i;
      // the coordinator's own mapping of a group to its partition
      if (covered.add(Utils.abs(probe.hashCode()) % partitions)) {
        probes.add(probe);
      }
    }
    for (var answer : admin.describeConsumerGroups(probes).describedGroups().values()) {
      try {
        answer.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof GroupIdNotFoundException)) { // "not found" is the loaded partition's answer
          throw e;
        }
      }
    }
    return true;
  }
}
