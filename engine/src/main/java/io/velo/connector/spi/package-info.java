/**
 * The connector contracts: {@link io.velo.connector.spi.Source} and {@link io.velo.connector.spi.Sink}.
 */
package io.velo.connector.spi;
