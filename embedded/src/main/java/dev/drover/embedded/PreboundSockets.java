package dev.drover.embedded;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.server.ServerSocketFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Listener sockets bound before the broker is built, handed to Kafka's socket server when it opens its listeners.
 *
 * <p>Binding first is what makes "port 0" race-free: the controller's port has to be written into
 * {@code controller.quorum.voters} before the server exists, and probing for a free port and closing it again
 * lets another process take it in between. It also makes a taken fixed port (9092) fail before anything is started.
 */
final class PreboundSockets implements ServerSocketFactory, AutoCloseable {

  private final Map<String, ServerSocketChannel> unclaimed = new HashMap<>();

  /**
   * Binds a socket for a listener now and returns the port it got.
   *
   * @throws KafkaException if the address cannot be bound (for example the port is taken)
   */
  synchronized int bind(String listenerName, String host, int port) throws IOException {
    // -1: leave backlog and receive buffer at the JDK defaults, as Kafka's own factory does when asked to.
    ServerSocketChannel channel = ServerSocketFactory.INSTANCE.openServerSocket(
        listenerName, new InetSocketAddress(host, port), -1, -1);
    unclaimed.put(listenerName, channel);
    return channel.socket().getLocalPort();
  }

  @Override
  public synchronized ServerSocketChannel openServerSocket(
      String listenerName, InetSocketAddress address, int listenBacklogSize, int recvBufferSize) throws IOException {
    ServerSocketChannel prebound = unclaimed.remove(listenerName);
    if (prebound != null) {
      return prebound;
    }
    return ServerSocketFactory.INSTANCE.openServerSocket(listenerName, address, listenBacklogSize, recvBufferSize);
  }

  /** Closes the sockets Kafka never claimed; claimed ones belong to (and are closed by) its socket server. */
  @Override
  public synchronized void close() {
    List<ServerSocketChannel> leftovers = new ArrayList<>(unclaimed.values());
    unclaimed.clear();
    for (ServerSocketChannel channel : leftovers) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing useful to do: the socket is being abandoned either way.
      }
    }
  }
}
