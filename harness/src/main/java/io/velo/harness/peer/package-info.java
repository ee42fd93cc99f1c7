/**
 * The peer comparison: Velo and Kafka Streams running the same queries on the same broker and input,
 * each in a fresh JVM, both outputs verified exactly ({@link io.velo.harness.peer.PeerComparison}).
 */
package io.velo.harness.peer;
