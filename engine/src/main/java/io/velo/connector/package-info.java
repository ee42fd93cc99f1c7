/**
 * Connectors that are not tied to a transport (standard output, retrying wrapper).
 */
package io.velo.connector;
