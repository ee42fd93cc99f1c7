/**
 * Record formats: CSV and JSON-lines decoders and encoders, schema inference.
 */
package io.velo.codec;
