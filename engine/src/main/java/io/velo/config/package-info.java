/**
 * Every property declared once (key, type, default, doc), resolution with origins, batch strategies.
 */
package io.velo.config;
