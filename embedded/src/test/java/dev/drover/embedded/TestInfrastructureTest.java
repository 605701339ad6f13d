package dev.drover.embedded;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class TestInfrastructureTest {

  @Test
  void eachNewDatabaseIsFreshAndIsolated() throws Exception {
    String first = TestInfrastructure.newDatabase(TestInfrastructureTest.class.getName());
    String second = TestInfrastructure.newDatabase(TestInfrastructureTest.class.getName());
    assertThat(first).isNotEqualTo(second);

    try (Connection c = connect(first); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE only_here (id int)");
    }
    try (Connection c = connect(second); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_here'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void awkwardPrefixesStillMakeValidNames() {
    assertThat(TestInfrastructure.newDatabase("9 Lives-Test$Inner")).matches(".*/db_9_lives_test_inner_\\d+");
  }

  @Test
  void theBrokerIsSharedByTheWholeJvm() {
    assertThat(TestInfrastructure.kafka()).isSameAs(TestInfrastructure.kafka());
    assertThat(TestInfrastructure.kafkaBootstrap()).isEqualTo(TestInfrastructure.kafka().bootstrapServers());
  }

  private static Connection connect(String url) throws Exception {
    return DriverManager.getConnection(url, TestInfrastructure.postgresUser(), TestInfrastructure.postgresPassword());
  }
}
