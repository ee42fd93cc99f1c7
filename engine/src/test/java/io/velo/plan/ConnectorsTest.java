package io.velo.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.config.PropertyCatalog;
import org.junit.jupiter.api.Test;

class ConnectorsTest {
    /**
     * The catalogue (in config, below plan) cannot ask the registry for the kinds without a package
     * cycle, so it lists them itself; this keeps the two lists one.
     */
    @Test
    void theTypePropertyOffersExactlyTheRegisteredKinds() {
        assertEquals(Connectors.names(), PropertyCatalog.connectorKey("type").choices());
    }

    @Test
    void eachKindIsASourceOrASinkNotBoth() {
        for (String name : Connectors.names()) {
            assertTrue(Connectors.source(name) != null ^ Connectors.sink(name) != null, name);
        }
        assertNull(Connectors.source(null));
        assertNull(Connectors.sink("kafka_source"));
        assertNull(Connectors.source("memory"), "the in-memory relation is chosen by the catalogue entry, not by a type");
    }

    @Test
    void kindsSayWhatThePlannerAsks() {
        assertTrue(Connectors.usesKafka("kafka_source"));
        assertTrue(Connectors.usesKafka("kafka_sink"));
        assertFalse(Connectors.usesKafka("file_sink"));
        assertFalse(Connectors.usesKafka(null));
        SourceType file = Connectors.source("file_source");
        assertNotNull(file);
        assertTrue(file.samplesFiles());
        assertFalse(file.transactional());
        assertTrue(Connectors.source("kafka_source").transactional());
    }
}
